package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import io.brewstream.schemas.arbitrage.BookLevel;
import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.arbitrage.VenueBook;

/**
 * A venue's book from its updates, and whether it may take part. Pure.
 *
 * <p>A snapshot replaces the book and makes it consistent. A delta applies only on top of the sequence number
 * before it: an older or repeated one changes nothing (a replay is harmless), a later one is a gap, and the book is
 * inconsistent (excluded) until the next snapshot. A halted venue, and one whose newest update is older than the
 * bound, take no part either.
 */
public final class BookRules {
    private BookRules() {
    }

    public static VenueBook apply(VenueBook current, BookUpdate update) {
        if (update.getSnapshot()) {
            return VenueBook.newBuilder().setVenue(update.getVenue()).setPair(update.getPair())
                    .setSequence(update.getSequence()).setBids(sorted(update.getBids(), true))
                    .setAsks(sorted(update.getAsks(), false)).setConsistent(true).setHalted(update.getHalted())
                    .setLastUpdateAt(update.getReceivedAt()).build();
        }
        if (current == null) {
            return VenueBook.newBuilder().setVenue(update.getVenue()).setPair(update.getPair())
                    .setSequence(update.getSequence()).setBids(List.of()).setAsks(List.of()).setConsistent(false)
                    .setHalted(update.getHalted()).setLastUpdateAt(update.getReceivedAt()).build();
        }
        if (update.getSequence() <= current.getSequence()) {
            return current; // already applied: a redelivery
        }
        VenueBook.Builder next = VenueBook.newBuilder(current).setSequence(update.getSequence())
                .setHalted(update.getHalted()).setLastUpdateAt(update.getReceivedAt());
        if (!current.getConsistent() || update.getSequence() != current.getSequence() + 1) {
            return next.setConsistent(false).build(); // a gap: wait for a snapshot
        }
        return next.setBids(merge(current.getBids(), update.getBids(), true))
                .setAsks(merge(current.getAsks(), update.getAsks(), false)).build();
    }

    /** Why the venue takes no part now (gap, halted, stale, empty), or empty when it may. */
    public static Optional<String> exclusion(VenueBook book, Instant now, Duration maxAge) {
        if (!book.getConsistent()) {
            return Optional.of("gap");
        }
        if (book.getHalted()) {
            return Optional.of("halted");
        }
        if (book.getLastUpdateAt().plus(maxAge).isBefore(now)) {
            return Optional.of("stale");
        }
        if (book.getBids().isEmpty() || book.getAsks().isEmpty()) {
            return Optional.of("empty");
        }
        return Optional.empty();
    }

    private static List<BookLevel> sorted(List<BookLevel> levels, boolean bids) {
        TreeMap<BigDecimal, BookLevel> byPrice = new TreeMap<>(bids ? Comparator.<BigDecimal>reverseOrder()
                : Comparator.<BigDecimal>naturalOrder());
        for (BookLevel level : levels) {
            if (level.getSize().signum() > 0) {
                byPrice.put(level.getPrice().stripTrailingZeros(), level);
            }
        }
        return new ArrayList<>(byPrice.values());
    }

    private static List<BookLevel> merge(List<BookLevel> book, List<BookLevel> delta, boolean bids) {
        TreeMap<BigDecimal, BookLevel> byPrice = new TreeMap<>(bids ? Comparator.<BigDecimal>reverseOrder()
                : Comparator.<BigDecimal>naturalOrder());
        book.forEach(level -> byPrice.put(level.getPrice().stripTrailingZeros(), level));
        for (BookLevel level : delta) {
            if (level.getSize().signum() == 0) {
                byPrice.remove(level.getPrice().stripTrailingZeros());
            } else {
                byPrice.put(level.getPrice().stripTrailingZeros(), level);
            }
        }
        return new ArrayList<>(byPrice.values());
    }
}

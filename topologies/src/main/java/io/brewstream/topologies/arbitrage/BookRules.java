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
                    .setLastUpdateAt(update.getReceivedAt())
                    .setLotSize(update.getLotSize() != null ? update.getLotSize() : current == null ? null : current.getLotSize())
                    .build();
        }
        if (current == null) {
            return VenueBook.newBuilder().setVenue(update.getVenue()).setPair(update.getPair())
                    .setSequence(update.getSequence()).setBids(List.of()).setAsks(List.of()).setConsistent(false)
                    .setHalted(update.getHalted()).setLastUpdateAt(update.getReceivedAt()).setLotSize(update.getLotSize())
                    .build();
        }
        if (update.getSequence() <= current.getSequence()) {
            return current; // already applied: a redelivery
        }
        // every field set anew: a builder from the current book would deep-copy its levels first
        VenueBook.Builder next = VenueBook.newBuilder().setVenue(current.getVenue()).setPair(current.getPair())
                .setSequence(update.getSequence()).setHalted(update.getHalted())
                .setLastUpdateAt(update.getReceivedAt()).setLotSize(current.getLotSize());
        if (!current.getConsistent() || update.getSequence() != current.getSequence() + 1) {
            return next.setConsistent(false).setBids(current.getBids()).setAsks(current.getAsks()).build(); // a gap
        }
        return next.setConsistent(true).setBids(merge(current.getBids(), update.getBids(), true))
                .setAsks(merge(current.getAsks(), update.getAsks(), false)).build();
    }

    /** The venue's lot for the pair, or the configured default when it never stated one. */
    public static BigDecimal lot(VenueBook book, BigDecimal defaultLot) {
        return book.getLotSize() == null || book.getLotSize().signum() <= 0 ? defaultLot : book.getLotSize();
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

    // a TreeMap compares keys with compareTo, so 2000.5 and 2000.500 are one price without stripping zeros

    private static List<BookLevel> sorted(List<BookLevel> levels, boolean bids) {
        TreeMap<BigDecimal, BookLevel> byPrice = new TreeMap<>(bids ? Comparator.<BigDecimal>reverseOrder()
                : Comparator.<BigDecimal>naturalOrder());
        for (BookLevel level : levels) {
            if (level.getSize().signum() > 0) {
                byPrice.put(level.getPrice(), level);
            }
        }
        return new ArrayList<>(byPrice.values());
    }

    private static List<BookLevel> merge(List<BookLevel> book, List<BookLevel> delta, boolean bids) {
        TreeMap<BigDecimal, BookLevel> byPrice = new TreeMap<>(bids ? Comparator.<BigDecimal>reverseOrder()
                : Comparator.<BigDecimal>naturalOrder());
        book.forEach(level -> byPrice.put(level.getPrice(), level));
        for (BookLevel level : delta) {
            if (level.getSize().signum() == 0) {
                byPrice.remove(level.getPrice());
            } else {
                byPrice.put(level.getPrice(), level);
            }
        }
        return new ArrayList<>(byPrice.values());
    }
}

package io.brewstream.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.brewstream.schemas.arbitrage.BookLevel;
import io.brewstream.schemas.arbitrage.BookUpdate;

/**
 * A market of venues quoting pairs, for the demo's simulator and the arbitrage bench: deterministic from its seed,
 * single-threaded (the caller synchronises). Each pair's mid price drifts (a random walk); a pair whose quote is not
 * a dollar coin (ETH-BTC) follows the ratio of its two dollar pairs' mids, so cycles are fair unless dislocated.
 * Each venue quotes five levels a side around the mid with its own half spread; its sizes vary from update to
 * update.
 *
 * <p>The market keeps two books per venue and pair: the true one (what the venue would fill now) and the one it
 * last published. Labelled events set them apart: a dislocation shifts one venue's prices for a while; a stall
 * publishes nothing while the truth moves on; a gap skips a sequence number (the next snapshot, every
 * {@link #SNAPSHOT_EVERY} updates, repairs it); a halt makes the venue refuse to trade.
 */
public final class SyntheticMarket {
    /** A venue: its taker fee, flat transfer cost out (quote currency), and half spread. */
    public record Venue(String name, int takerFeeBasisPoints, BigDecimal transferCost, int halfSpreadBasisPoints) {
    }

    /** A pair: its lot (base), starting mid, and the base amount a level typically holds. */
    public record Pair(String name, BigDecimal lot, BigDecimal startMid, BigDecimal levelSize) {
        public String base() {
            return name.substring(0, name.indexOf('-'));
        }

        public String quote() {
            return name.substring(name.indexOf('-') + 1);
        }
    }

    /** A dislocation the market made: which venue and pair, by how much, from when to when (epoch millis). */
    public record Dislocation(String venue, String pair, int basisPoints, long fromMillis, long untilMillis) {
    }

    /** Levels a venue publishes per side. */
    public static final int LEVELS = 5;
    /** Levels a true book has per side by default: a trade can walk past what is published, at worse prices. */
    public static final int TRUE_LEVELS = 20;
    /** A snapshot every this many updates of a book; deltas in between. */
    public static final int SNAPSHOT_EVERY = 20;
    private static final List<String> DOLLARS = List.of("USDC", "USDT", "USD");
    private static final BigDecimal BASIS = BigDecimal.valueOf(10_000);

    private final List<Venue> venues;
    private final List<Pair> pairs;
    private final int trueLevels;
    private final Random random;
    private final Map<String, BigDecimal> mids = new HashMap<>();
    private final Map<String, Book> books = new LinkedHashMap<>();
    private final List<Dislocation> dislocations = new ArrayList<>();

    private static final class Book {
        long sequence;
        int updates;
        List<BookLevel> bids = List.of();
        List<BookLevel> asks = List.of();
        List<BookLevel> publishedBids;
        List<BookLevel> publishedAsks;
        int shiftBasisPoints;
        long shiftUntil;
        long silentUntil;
        long haltedUntil;
    }

    public SyntheticMarket(List<Venue> venues, List<Pair> pairs, long seed) {
        this(venues, pairs, seed, TRUE_LEVELS);
    }

    /** @param trueLevels how deep the true books are ({@link #LEVELS} or more; deeper costs more per update) */
    public SyntheticMarket(List<Venue> venues, List<Pair> pairs, long seed, int trueLevels) {
        if (trueLevels < LEVELS) {
            throw new IllegalArgumentException("a true book is at least as deep as what is published");
        }
        this.trueLevels = trueLevels;
        this.venues = List.copyOf(venues);
        this.pairs = List.copyOf(pairs);
        this.random = new Random(seed);
        for (Pair pair : pairs) {
            mids.put(pair.name(), pair.startMid());
            for (Venue venue : venues) {
                books.put(key(venue.name(), pair.name()), new Book());
            }
        }
    }

    public List<Venue> venues() {
        return venues;
    }

    public List<Pair> pairs() {
        return pairs;
    }

    /** The pair's mid moves by up to {@code maxStepBasisPoints}, either way (a derived pair follows its legs). */
    public void drift(String pair, double maxStepBasisPoints) {
        if (derived(pair(pair)) != null) {
            return;
        }
        double step = (random.nextDouble() * 2 - 1) * maxStepBasisPoints / 10_000;
        mids.put(pair, mids.get(pair).multiply(BigDecimal.valueOf(1 + step)).setScale(8, RoundingMode.HALF_EVEN));
    }

    /**
     * The venue's next update of the pair at {@code nowMillis}: its true book recomputed, then published as a
     * delta (or a snapshot every {@link #SNAPSHOT_EVERY}), or null while the venue is silent.
     */
    public BookUpdate update(String venue, String pair, long nowMillis) {
        Book book = books.get(key(venue, pair));
        Pair p = pair(pair);
        Venue v = venue(venue);
        BigDecimal center = mid(p);
        if (nowMillis < book.shiftUntil) {
            center = center.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(book.shiftBasisPoints).divide(BASIS)));
        }
        List<BookLevel> bids = new ArrayList<>();
        List<BookLevel> asks = new ArrayList<>();
        int priceScale = Math.min(18, Math.max(2, 8 - center.precision() + center.scale()));
        for (int i = 0; i < trueLevels; i++) {
            BigDecimal offset = BigDecimal.valueOf(v.halfSpreadBasisPoints() + 2L * i).divide(BASIS);
            bids.add(level(center.multiply(BigDecimal.ONE.subtract(offset)).setScale(priceScale, RoundingMode.DOWN),
                    size(p, book.bids, i)));
            asks.add(level(center.multiply(BigDecimal.ONE.add(offset)).setScale(priceScale, RoundingMode.UP),
                    size(p, book.asks, i)));
        }
        book.bids = bids;
        book.asks = asks;
        bids = bids.subList(0, LEVELS);
        asks = asks.subList(0, LEVELS);
        if (nowMillis < book.silentUntil) {
            return null;
        }
        boolean snapshot = book.updates++ % SNAPSHOT_EVERY == 0 || book.publishedBids == null;
        BookUpdate update = BookUpdate.newBuilder().setVenue(venue).setPair(pair).setSequence(++book.sequence)
                .setSnapshot(snapshot)
                .setBids(snapshot ? bids : delta(book.publishedBids, bids))
                .setAsks(snapshot ? asks : delta(book.publishedAsks, asks))
                .setHalted(nowMillis < book.haltedUntil)
                .setVenueTime(java.time.Instant.ofEpochMilli(nowMillis))
                .setReceivedAt(java.time.Instant.ofEpochMilli(nowMillis))
                .setLotSize(snapshot ? p.lot().setScale(18) : null)
                .build();
        book.publishedBids = bids;
        book.publishedAsks = asks;
        return update;
    }

    /** The pair's mid jumps by {@code basisPoints} at once (every venue follows with its next update). */
    public void jump(String pair, int basisPoints) {
        mids.put(pair, mids.get(pair).multiply(BigDecimal.ONE.add(BigDecimal.valueOf(basisPoints).divide(BASIS)))
                .setScale(8, RoundingMode.HALF_EVEN));
    }

    /** Shifts the venue's prices of the pair by {@code basisPoints} until {@code untilMillis}: labelled. */
    public Dislocation dislocate(String venue, String pair, int basisPoints, long fromMillis, long untilMillis) {
        Book book = books.get(key(venue, pair));
        book.shiftBasisPoints = basisPoints;
        book.shiftUntil = untilMillis;
        Dislocation d = new Dislocation(venue, pair, basisPoints, fromMillis, untilMillis);
        dislocations.add(d);
        return d;
    }

    /** The venue publishes nothing of the pair until then (the truth moves on). */
    public void stall(String venue, String pair, long untilMillis) {
        books.get(key(venue, pair)).silentUntil = untilMillis;
    }

    /** The venue skips a sequence number of the pair: inconsistent until its next snapshot. */
    public void gap(String venue, String pair) {
        books.get(key(venue, pair)).sequence++;
    }

    /** The venue halts trading in the pair until then. */
    public void halt(String venue, String pair, long untilMillis) {
        books.get(key(venue, pair)).haltedUntil = untilMillis;
    }

    public List<Dislocation> dislocations() {
        return List.copyOf(dislocations);
    }

    /** What the venue would fill now. */
    public List<BookLevel> trueBids(String venue, String pair) {
        return books.get(key(venue, pair)).bids;
    }

    public List<BookLevel> trueAsks(String venue, String pair) {
        return books.get(key(venue, pair)).asks;
    }

    public boolean halted(String venue, String pair, long nowMillis) {
        return nowMillis < books.get(key(venue, pair)).haltedUntil;
    }

    public Venue venue(String name) {
        return venues.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no venue " + name));
    }

    public Pair pair(String name) {
        return pairs.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pair " + name));
    }

    private BigDecimal mid(Pair pair) {
        Pair[] legs = derived(pair);
        if (legs == null) {
            return mids.get(pair.name());
        }
        return mids.get(legs[0].name()).divide(mids.get(legs[1].name()), MathContext.DECIMAL64);
    }

    /** For BASE-QUOTE with no dollar quote: BASE-USDx and QUOTE-USDx, when both are listed. */
    private Pair[] derived(Pair pair) {
        if (DOLLARS.contains(pair.quote())) {
            return null;
        }
        for (String dollar : DOLLARS) {
            Pair base = pairs.stream().filter(p -> p.name().equals(pair.base() + "-" + dollar)).findFirst().orElse(null);
            Pair quote = pairs.stream().filter(p -> p.name().equals(pair.quote() + "-" + dollar)).findFirst().orElse(null);
            if (base != null && quote != null) {
                return new Pair[] {base, quote};
            }
        }
        return null;
    }

    /** A level's size: most updates leave it as it was; otherwise between a fifth and twice the pair's typical. */
    private BigDecimal size(Pair pair, List<BookLevel> before, int level) {
        if (level < before.size() && random.nextInt(4) != 0) {
            return before.get(level).getSize();
        }
        BigDecimal size = pair.levelSize().multiply(BigDecimal.valueOf(0.2 + random.nextDouble() * 1.8));
        BigDecimal lots = size.divide(pair.lot(), 0, RoundingMode.DOWN).max(BigDecimal.ONE);
        return lots.multiply(pair.lot());
    }

    /** Levels gone from the book (size 0), then the levels now. */
    private static List<BookLevel> delta(List<BookLevel> before, List<BookLevel> now) {
        List<BookLevel> changes = new ArrayList<>();
        for (BookLevel old : before) {
            if (now.stream().noneMatch(l -> l.getPrice().compareTo(old.getPrice()) == 0)) {
                changes.add(level(old.getPrice(), BigDecimal.ZERO));
            }
        }
        changes.addAll(now);
        return changes;
    }

    private static BookLevel level(BigDecimal price, BigDecimal size) {
        return BookLevel.newBuilder().setPrice(price.setScale(18, RoundingMode.UNNECESSARY))
                .setSize(size.setScale(18, RoundingMode.UNNECESSARY)).build();
    }

    private static String key(String venue, String pair) {
        return venue + "|" + pair;
    }
}

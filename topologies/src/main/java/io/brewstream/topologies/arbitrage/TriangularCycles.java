package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import io.brewstream.schemas.arbitrage.BookLevel;
import io.brewstream.schemas.arbitrage.LegSide;
import io.brewstream.schemas.arbitrage.OpportunityLeg;
import io.brewstream.schemas.arbitrage.VenueBook;

/**
 * Triangular opportunities inside one venue: cycles of three or four trades that start and end in the same asset
 * (USDC → ETH → BTC → USDC) and bring back more than they took. Pure.
 *
 * <p>An amount is carried through the books' depth leg by leg: a BUY spends the amount on the asks, a SELL sells
 * it on the bids, each trade a whole number of the pair's lots (what a lot leaves over is counted as lost), each
 * output less the venue's taker fee. What one unit brings back only falls as the amount grows (deeper levels are
 * worse), so the largest amount that still clears the threshold is found by doubling and then halving the
 * interval (see {@link #find}); the amount found is carried through once more in exact decimals to state the
 * trades.
 */
public final class TriangularCycles {
    private static final BigDecimal BASIS = BigDecimal.valueOf(10_000);
    private static final MathContext MATH = MathContext.DECIMAL128;
    private static final int DOUBLINGS = 60;
    /** The search halves the interval until it is this small relative to the amount. */
    private static final double SEARCH_PRECISION = 0.0001;
    /** Where the exact carry misses what the doubles found, the amount is trimmed by a tenth of a percent this often. */
    private static final int EXACT_TRIMS = 20;
    private static final BigDecimal TRIM = new BigDecimal("0.999");
    /** After the search, the first trade tries this many more lots, one at a time. */
    private static final int LOTS_MORE = 3;

    /** One trade of a cycle: which pair, which side, from which asset to which. */
    public record Step(String pair, LegSide side, String from, String to) {
    }

    /** A cycle of trades; its label names its assets in order, e.g. USDC>ETH>BTC>USDC. */
    public record Cycle(String label, List<Step> steps, Set<String> pairs) {
        public Cycle(String label, List<Step> steps) {
            this(label, List.copyOf(steps), pairsOf(steps));
        }

        private static Set<String> pairsOf(List<Step> steps) {
            Set<String> pairs = new LinkedHashSet<>();
            steps.forEach(s -> pairs.add(s.pair()));
            return java.util.Collections.unmodifiableSet(pairs);
        }

        public String startAsset() {
            return steps.get(0).from();
        }
    }

    private TriangularCycles() {
    }

    /**
     * Every cycle of 3 to {@code maxLegs} trades over these pairs that uses {@code through}, each pair at most
     * once, starting in a start asset: the first of {@code startAssets} the cycle touches, so the same cycle is
     * not reported twice from two of its assets. Both directions are cycles of their own.
     */
    public static List<Cycle> through(Collection<String> pairs, String through, List<String> startAssets, int maxLegs) {
        Set<String> sorted = new TreeSet<>(pairs);
        List<Cycle> cycles = new ArrayList<>();
        for (int s = 0; s < startAssets.size(); s++) {
            String start = startAssets.get(s);
            Set<String> earlier = Set.copyOf(startAssets.subList(0, s));
            search(sorted, start, start, new ArrayList<>(), new ArrayList<>(List.of(start)), earlier, maxLegs, cycles);
        }
        return cycles.stream().filter(c -> through == null || c.pairs().contains(through)).toList();
    }

    private static void search(Set<String> pairs, String start, String at, List<Step> path, List<String> assets,
            Set<String> earlier, int maxLegs, List<Cycle> found) {
        for (String pair : pairs) {
            if (path.stream().anyMatch(step -> step.pair().equals(pair))) {
                continue;
            }
            String base = FeeSchedule.base(pair);
            String quote = FeeSchedule.quote(pair);
            Step step;
            if (quote.equals(at)) {
                step = new Step(pair, LegSide.BUY, quote, base);
            } else if (base.equals(at)) {
                step = new Step(pair, LegSide.SELL, base, quote);
            } else {
                continue;
            }
            path.add(step);
            if (step.to().equals(start)) {
                if (path.size() >= 3) {
                    assets.add(start);
                    found.add(new Cycle(String.join(">", assets), List.copyOf(path)));
                    assets.remove(assets.size() - 1);
                }
            } else if (path.size() < maxLegs && !assets.contains(step.to()) && !earlier.contains(step.to())) {
                assets.add(step.to());
                search(pairs, start, step.to(), path, assets, earlier, maxLegs, found);
                assets.remove(assets.size() - 1);
            }
            path.remove(path.size() - 1);
        }
    }

    /**
     * The largest starting amount at which the cycle clears {@code thresholdBasisPoints} on these books, with the
     * venue's taker fee on every trade and each pair's lot; empty when even the smallest tradable amount misses.
     *
     * <p>The search carries amounts in doubles over {@code depths} (what one unit brings back only falls with the
     * amount, so doubling and then halving the interval finds the largest amount to a hundredth of a percent); the
     * amount found is then carried through the books in exact decimals, trimmed by a tenth of a percent at a time
     * should the exact result miss the threshold where the doubles did not, and reduced to what the first trade
     * takes in whole lots. Every amount stated is exact.
     */
    public static Optional<Edge> find(Cycle cycle, String venue, Function<String, VenueBook> books,
            Function<String, BookDepth> depths, Function<String, BigDecimal> lots, int feeBasisPoints,
            int thresholdBasisPoints) {
        BigDecimal keep = BigDecimal.ONE.subtract(CrossVenueEdge.basisPoints(feeBasisPoints));
        if (!mightClear(cycle, books, keep, thresholdBasisPoints)) {
            return Optional.empty(); // even the best prices of every book, at no depth, do not clear it
        }
        double found = search(cycle, depths, lots, 1 - feeBasisPoints / 10_000.0, 1 + thresholdBasisPoints / 10_000.0);
        if (Double.isNaN(found)) {
            return Optional.empty();
        }
        BigDecimal amount = new BigDecimal(found).setScale(18, RoundingMode.DOWN);
        for (int trims = 0; trims <= EXACT_TRIMS; trims++, amount = amount.multiply(TRIM).setScale(18, RoundingMode.DOWN)) {
            Result r = carry(cycle, venue, books, lots, keep, feeBasisPoints, amount, false);
            if (r instanceof Result.Carried c && c.edgeBasisPoints(amount) >= thresholdBasisPoints) {
                // the amount the first trade takes in whole lots (nothing of the start is left over), then a lot
                // more at a time while that still clears: the doubles stop a hair short of a level's end
                Result.Carried best = c;
                for (int more = 0; more < LOTS_MORE; more++) {
                    BigDecimal next = oneLotMore(cycle, books, lots, best);
                    Result r2 = next == null ? null : carry(cycle, venue, books, lots, keep, feeBasisPoints, next, false);
                    if (!(r2 instanceof Result.Carried c2) || c2.edgeBasisPoints(next) < thresholdBasisPoints) {
                        break;
                    }
                    best = c2;
                }
                BigDecimal size = best.taken().stripTrailingZeros();
                Result.Carried carried = (Result.Carried) carry(cycle, venue, books, lots, keep, feeBasisPoints, size, true);
                BigDecimal money = carried.out().subtract(size);
                return Optional.of(new Edge(size, BigDecimal.ONE, carried.out().divide(size, MATH),
                        carried.edgeBasisPoints(size), money, carried.legs(), null, null));
            }
        }
        return Optional.empty();
    }

    /** What the first trade takes to trade one lot more than it did; null when its book is not that deep. */
    private static BigDecimal oneLotMore(Cycle cycle, Function<String, VenueBook> books, Function<String, BigDecimal> lots,
            Result.Carried carried) {
        Step first = cycle.steps().get(0);
        BigDecimal base = carried.firstBase().add(lots.apply(first.pair()));
        return first.side() == LegSide.SELL ? base : CrossVenueEdge.walk(books.apply(first.pair()).getAsks(), base);
    }

    /** The largest starting amount that clears, searched in doubles; NaN when none does. */
    private static double search(Cycle cycle, Function<String, BookDepth> depths, Function<String, BigDecimal> lots,
            double keep, double wanted) {
        int legs = cycle.steps().size();
        BookDepth[] books = new BookDepth[legs];
        double[] lotSizes = new double[legs];
        for (int i = 0; i < legs; i++) {
            Step step = cycle.steps().get(i);
            books[i] = depths.apply(step.pair());
            lotSizes[i] = BookDepth.approximately(lots.apply(step.pair()));
        }
        Step first = cycle.steps().get(0);
        double amount = first.side() == LegSide.SELL ? lotSizes[0] : lotSizes[0] * books[0].askPrices()[0];
        double low = Double.NaN;
        for (int i = 0; i < DOUBLINGS && Double.isNaN(low); i++, amount *= 2) {
            double out = carry(cycle, books, lotSizes, keep, amount);
            if (out == TOO_DEEP) {
                return Double.NaN;
            }
            if (out >= amount * wanted) {
                low = amount;
            }
        }
        if (Double.isNaN(low)) {
            return Double.NaN;
        }
        double high = low * 2;
        for (int i = 0; i < DOUBLINGS && carry(cycle, books, lotSizes, keep, high) >= high * wanted; i++) {
            low = high;
            high *= 2;
        }
        while (high - low > low * SEARCH_PRECISION) {
            double middle = (low + high) / 2;
            if (carry(cycle, books, lotSizes, keep, middle) >= middle * wanted) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static final double TOO_DEEP = -2;
    private static final double TOO_SMALL = -1;

    /** What the amount brings back, carried in doubles; {@link #TOO_SMALL} or {@link #TOO_DEEP} when it cannot. */
    private static double carry(Cycle cycle, BookDepth[] books, double[] lots, double keep, double amount) {
        double held = amount;
        for (int i = 0; i < books.length; i++) {
            BookDepth book = books[i];
            if (cycle.steps().get(i).side() == LegSide.SELL) {
                double base = Math.floor(held / lots[i]) * lots[i];
                if (base <= 0) {
                    return TOO_SMALL;
                }
                double quote = walk(book.bidPrices(), book.bidSizes(), base);
                if (quote < 0) {
                    return TOO_DEEP;
                }
                held = quote * keep;
            } else {
                double affordable = buyable(book.askPrices(), book.askSizes(), held);
                if (affordable < 0) {
                    return TOO_DEEP;
                }
                double base = Math.floor(affordable / lots[i]) * lots[i];
                if (base <= 0) {
                    return TOO_SMALL;
                }
                held = base * keep;
            }
        }
        return held;
    }

    private static double walk(double[] prices, double[] sizes, double amount) {
        double left = amount;
        double value = 0;
        for (int i = 0; i < prices.length; i++) {
            double take = Math.min(left, sizes[i]);
            value += take * prices[i];
            left -= take;
            if (left <= 0) {
                return value;
            }
        }
        return -1;
    }

    private static double buyable(double[] prices, double[] sizes, double money) {
        double left = money;
        double base = 0;
        for (int i = 0; i < prices.length; i++) {
            double cost = prices[i] * sizes[i];
            if (cost >= left) {
                return base + left / prices[i];
            }
            base += sizes[i];
            left -= cost;
        }
        return -1;
    }

    /**
     * At the top of every book and at no size, whether the cycle could clear the threshold at all: what the sells
     * bring (bids, less the fee) against what the buys cost (asks), multiplied out, no division.
     */
    private static boolean mightClear(Cycle cycle, Function<String, VenueBook> books, BigDecimal keep, int threshold) {
        BigDecimal brought = BigDecimal.ONE;
        BigDecimal paid = BigDecimal.ONE.add(CrossVenueEdge.basisPoints(threshold));
        for (Step step : cycle.steps()) {
            VenueBook book = books.apply(step.pair());
            if (step.side() == LegSide.SELL) {
                brought = brought.multiply(book.getBids().get(0).getPrice()).multiply(keep);
            } else {
                brought = brought.multiply(keep);
                paid = paid.multiply(book.getAsks().get(0).getPrice());
            }
        }
        return brought.compareTo(paid) >= 0;
    }

    private sealed interface Result {
        /** Carried around: what the first trade took of the amount and its base amount, what came back, the trades. */
        record Carried(BigDecimal taken, BigDecimal firstBase, BigDecimal out, List<OpportunityLeg> legs) implements Result {
            int edgeBasisPoints(BigDecimal in) {
                return out.subtract(in).multiply(BASIS).divide(in, 0, RoundingMode.FLOOR).intValueExact();
            }
        }

        /** Some trade would be less than its pair's lot. */
        record TooSmall() implements Result {
        }

        /** Some book is not deep enough. */
        record TooDeep() implements Result {
        }
    }

    private static Result carry(Cycle cycle, String venue, Function<String, VenueBook> books,
            Function<String, BigDecimal> lots, BigDecimal keep, int feeBasisPoints, BigDecimal amount, boolean stated) {
        BigDecimal held = amount;
        BigDecimal taken = null;
        BigDecimal firstBase = null;
        List<OpportunityLeg> legs = new ArrayList<>();
        for (Step step : cycle.steps()) {
            VenueBook book = books.apply(step.pair());
            BigDecimal lot = lots.apply(step.pair());
            BigDecimal base;
            BigDecimal quote;
            if (step.side() == LegSide.SELL) {
                base = held.divide(lot, 0, RoundingMode.DOWN).multiply(lot);
                if (base.signum() == 0) {
                    return new Result.TooSmall();
                }
                quote = CrossVenueEdge.walk(book.getBids(), base);
                if (quote == null) {
                    return new Result.TooDeep();
                }
                held = quote.multiply(keep);
            } else {
                BigDecimal affordable = buyable(book.getAsks(), held);
                if (affordable == null) {
                    return new Result.TooDeep();
                }
                base = affordable.divide(lot, 0, RoundingMode.DOWN).multiply(lot);
                if (base.signum() == 0) {
                    return new Result.TooSmall();
                }
                quote = CrossVenueEdge.walk(book.getAsks(), base);
                held = base.multiply(keep);
            }
            if (taken == null) {
                taken = step.side() == LegSide.SELL ? base : quote;
                firstBase = base;
            }
            if (stated) {
                legs.add(Legs.leg(venue, step.pair(), step.side(), quote.divide(base, MATH), base, quote, feeBasisPoints));
            }
        }
        return new Result.Carried(taken, firstBase, held, legs);
    }

    /** How much base {@code money} buys on the asks; null when the asks run out before the money does. */
    private static BigDecimal buyable(List<BookLevel> asks, BigDecimal money) {
        BigDecimal left = money;
        BigDecimal base = BigDecimal.ZERO;
        for (BookLevel level : asks) {
            BigDecimal levelCost = level.getPrice().multiply(level.getSize());
            if (levelCost.compareTo(left) >= 0) {
                return base.add(left.divide(level.getPrice(), 18, RoundingMode.DOWN));
            }
            base = base.add(level.getSize());
            left = left.subtract(levelCost);
        }
        return null;
    }
}

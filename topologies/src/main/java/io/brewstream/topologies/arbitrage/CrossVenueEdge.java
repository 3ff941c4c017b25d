package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

import io.brewstream.schemas.arbitrage.BookLevel;
import io.brewstream.schemas.arbitrage.LegSide;
import io.brewstream.schemas.arbitrage.OpportunityLeg;

/**
 * The largest size at which buying on one venue's asks and selling on another's bids clears a threshold, after
 * both taker fees and the cost of moving the bought asset across, walking both books' depth. Exact decimals.
 *
 * <p>Moving the asset costs a withdrawal fee in the asset itself (rounded up to the buy venue's lot, so the buy is
 * a whole number of lots) plus a flat cost in the quote currency. So selling {@code q} means buying {@code q + w}:
 * the walk starts with {@code w} already taken off the asks. Filling {@code q} then costs {@code C(q)} (asks times
 * one plus the buy fee) and yields {@code P(q)} (bids times one minus the sell fee); the edge is
 * {@code (P - C - flat) / C}. Between two level boundaries both are linear in {@code q}, so "edge at least the
 * threshold" is a linear inequality there: the walk solves it on each segment and keeps the largest size that
 * satisfies it, stopping where the next unit would lose money. The size is then rounded down to a lot both venues
 * accept; a size below it is no opportunity.
 */
public final class CrossVenueEdge {
    private static final BigDecimal BASIS = BigDecimal.valueOf(10_000);
    private static final MathContext MATH = MathContext.DECIMAL128;

    /**
     * What a trade between two venues costs besides the books' prices.
     *
     * @param buyFeeBasisPoints  the buy venue's taker fee at the chain's tier
     * @param sellFeeBasisPoints the sell venue's
     * @param flatTransferCost   a flat cost of the transfer, in the quote currency
     * @param withdrawalFee      the withdrawal fee, in the base asset (zero when none is listed)
     * @param network            the network it moves over, or null
     * @param transferSeconds    how long it takes, or null
     */
    public record Costs(int buyFeeBasisPoints, int sellFeeBasisPoints, BigDecimal flatTransferCost,
            BigDecimal withdrawalFee, String network, Integer transferSeconds) {
        public static Costs flat(int buyFeeBasisPoints, int sellFeeBasisPoints, BigDecimal flatTransferCost) {
            return new Costs(buyFeeBasisPoints, sellFeeBasisPoints, flatTransferCost, BigDecimal.ZERO, null, null);
        }
    }

    private CrossVenueEdge() {
    }

    public static Optional<Edge> find(String pair, String buyVenue, List<BookLevel> asks, BigDecimal buyLot,
            String sellVenue, List<BookLevel> bids, BigDecimal sellLot, Costs costs, int thresholdBasisPoints) {
        BigDecimal lot = commonLot(buyLot, sellLot);
        BigDecimal buyFactor = BigDecimal.ONE.add(basisPoints(costs.buyFeeBasisPoints()));
        BigDecimal sellFactor = BigDecimal.ONE.subtract(basisPoints(costs.sellFeeBasisPoints()));
        BigDecimal wanted = BigDecimal.ONE.add(basisPoints(thresholdBasisPoints));
        // at the top of both books, before any size, no edge at all: nothing deeper can have one
        if (asks.isEmpty() || bids.isEmpty()
                || bids.get(0).getPrice().multiply(sellFactor).compareTo(asks.get(0).getPrice().multiply(buyFactor)) <= 0) {
            return Optional.empty();
        }
        // the withdrawal fee, in whole lots of the buy venue, is bought first and never sold
        BigDecimal withdrawn = roundUp(costs.withdrawalFee(), buyLot);
        BigDecimal filled = BigDecimal.ZERO;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal proceeds = BigDecimal.ZERO;
        BigDecimal best = null;
        int i = 0;
        int j = 0;
        BigDecimal askLeft = asks.isEmpty() ? BigDecimal.ZERO : asks.get(0).getSize();
        BigDecimal bidLeft = bids.isEmpty() ? BigDecimal.ZERO : bids.get(0).getSize();
        BigDecimal toWithdraw = withdrawn;
        while (toWithdraw.signum() > 0 && i < asks.size()) {
            BigDecimal take = askLeft.min(toWithdraw);
            cost = cost.add(asks.get(i).getPrice().multiply(buyFactor).multiply(take));
            toWithdraw = toWithdraw.subtract(take);
            askLeft = askLeft.subtract(take);
            if (askLeft.signum() == 0 && ++i < asks.size()) {
                askLeft = asks.get(i).getSize();
            }
        }
        if (toWithdraw.signum() > 0) {
            return Optional.empty(); // the book cannot even cover the withdrawal fee
        }
        while (i < asks.size() && j < bids.size()) {
            BigDecimal unitCost = asks.get(i).getPrice().multiply(buyFactor);
            BigDecimal unitProceeds = bids.get(j).getPrice().multiply(sellFactor);
            if (unitProceeds.compareTo(unitCost) <= 0) {
                break; // from here on every unit loses money: the edge only falls
            }
            BigDecimal step = askLeft.min(bidLeft);
            // on this segment: base + slope * x >= 0, for x in [0, step]
            BigDecimal base = proceeds.subtract(wanted.multiply(cost)).subtract(costs.flatTransferCost());
            BigDecimal slope = unitProceeds.subtract(wanted.multiply(unitCost));
            BigDecimal reach = null;
            if (slope.signum() >= 0) {
                reach = base.add(slope.multiply(step)).signum() >= 0 ? step : null;
            } else if (base.signum() >= 0) {
                reach = step.min(base.divide(slope.negate(), MATH));
            }
            if (reach != null) {
                best = filled.add(reach);
            }
            filled = filled.add(step);
            cost = cost.add(unitCost.multiply(step));
            proceeds = proceeds.add(unitProceeds.multiply(step));
            askLeft = askLeft.subtract(step);
            bidLeft = bidLeft.subtract(step);
            if (askLeft.signum() == 0 && ++i < asks.size()) {
                askLeft = asks.get(i).getSize();
            }
            if (bidLeft.signum() == 0 && ++j < bids.size()) {
                bidLeft = bids.get(j).getSize();
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        BigDecimal size = best.divide(lot, 0, RoundingMode.DOWN).multiply(lot);
        if (size.compareTo(lot) < 0) {
            return Optional.empty();
        }
        return at(pair, buyVenue, asks, sellVenue, bids, costs, buyFactor, sellFactor, withdrawn, size)
                .filter(edge -> edge.edgeBasisPoints() >= thresholdBasisPoints);
    }

    /** The fill of exactly {@code size} sold, {@code size + withdrawn} bought. */
    private static Optional<Edge> at(String pair, String buyVenue, List<BookLevel> asks, String sellVenue,
            List<BookLevel> bids, Costs costs, BigDecimal buyFactor, BigDecimal sellFactor, BigDecimal withdrawn,
            BigDecimal size) {
        BigDecimal boughtAmount = size.add(withdrawn);
        BigDecimal bought = walk(asks, boughtAmount);
        BigDecimal sold = walk(bids, size);
        if (bought == null || sold == null) {
            return Optional.empty();
        }
        BigDecimal cost = bought.multiply(buyFactor);
        BigDecimal money = sold.multiply(sellFactor).subtract(cost).subtract(costs.flatTransferCost());
        int basisPoints = money.multiply(BASIS).divide(cost, 0, RoundingMode.FLOOR).intValueExact();
        BigDecimal buyPrice = bought.divide(boughtAmount, MATH);
        BigDecimal sellPrice = sold.divide(size, MATH);
        List<OpportunityLeg> legs = List.of(
                Legs.leg(buyVenue, pair, LegSide.BUY, buyPrice, boughtAmount, bought, costs.buyFeeBasisPoints()),
                Legs.leg(sellVenue, pair, LegSide.SELL, sellPrice, size, sold, costs.sellFeeBasisPoints()));
        return Optional.of(new Edge(size, buyPrice, sellPrice, basisPoints, money, legs, costs.network(),
                costs.transferSeconds()));
    }

    /** What {@code size} costs across the levels, before fees; null when the book is not that deep. */
    static BigDecimal walk(List<BookLevel> levels, BigDecimal size) {
        BigDecimal left = size;
        BigDecimal value = BigDecimal.ZERO;
        if (left.signum() == 0) {
            return value;
        }
        for (BookLevel level : levels) {
            BigDecimal take = left.min(level.getSize());
            value = value.add(take.multiply(level.getPrice()));
            left = left.subtract(take);
            if (left.signum() == 0) {
                return value;
            }
        }
        return null;
    }

    /** A number of basis points as a fraction (exact, no division). */
    static BigDecimal basisPoints(int basisPoints) {
        return BigDecimal.valueOf(basisPoints, 4);
    }

    /** The smallest amount that is a whole number of lots on both venues. */
    static BigDecimal commonLot(BigDecimal a, BigDecimal b) {
        if (a.compareTo(b) == 0) {
            return a;
        }
        int scale = Math.max(a.stripTrailingZeros().scale(), b.stripTrailingZeros().scale());
        scale = Math.max(scale, 0);
        BigInteger x = a.movePointRight(scale).toBigIntegerExact();
        BigInteger y = b.movePointRight(scale).toBigIntegerExact();
        BigInteger lcm = x.divide(x.gcd(y)).multiply(y);
        return new BigDecimal(lcm).movePointLeft(scale);
    }

    static BigDecimal roundUp(BigDecimal amount, BigDecimal lot) {
        return amount.signum() <= 0 ? BigDecimal.ZERO : amount.divide(lot, 0, RoundingMode.UP).multiply(lot);
    }
}

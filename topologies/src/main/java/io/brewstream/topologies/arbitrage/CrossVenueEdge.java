package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

import io.brewstream.schemas.arbitrage.BookLevel;

/**
 * The largest size at which buying on one venue's asks and selling on another's bids clears a threshold, after
 * both taker fees and the flat cost of moving the bought asset across, walking both books' depth. Exact decimals.
 *
 * <p>Filling {@code q} costs {@code C(q)} (asks times one plus the buy fee) and yields {@code P(q)} (bids times one
 * minus the sell fee); the edge is {@code (P - C - transfer) / C}. Between two level boundaries both are linear in
 * {@code q}, so "edge at least the threshold" is a linear inequality there: the walk solves it on each segment and
 * keeps the largest size that satisfies it, stopping where the next unit would lose money before the flat cost.
 * The size is then rounded down to the lot; a size below the minimum lot is no opportunity.
 */
public final class CrossVenueEdge {
    private static final BigDecimal BASIS = BigDecimal.valueOf(10_000);
    private static final MathContext MATH = MathContext.DECIMAL128;

    /** An executable opportunity: its size, volume-weighted prices, and edge in basis points and in money. */
    public record Edge(BigDecimal size, BigDecimal buyPrice, BigDecimal sellPrice, int edgeBasisPoints, BigDecimal edgeMoney) {
    }

    private CrossVenueEdge() {
    }

    public static Optional<Edge> find(List<BookLevel> asks, List<BookLevel> bids, int buyFeeBasisPoints,
            int sellFeeBasisPoints, BigDecimal transferCost, int thresholdBasisPoints, BigDecimal lot) {
        BigDecimal buyFactor = BigDecimal.ONE.add(BigDecimal.valueOf(buyFeeBasisPoints).divide(BASIS));
        BigDecimal sellFactor = BigDecimal.ONE.subtract(BigDecimal.valueOf(sellFeeBasisPoints).divide(BASIS));
        BigDecimal wanted = BigDecimal.ONE.add(BigDecimal.valueOf(thresholdBasisPoints).divide(BASIS));
        BigDecimal filled = BigDecimal.ZERO;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal proceeds = BigDecimal.ZERO;
        BigDecimal best = null;
        int i = 0;
        int j = 0;
        BigDecimal askLeft = asks.isEmpty() ? BigDecimal.ZERO : asks.get(0).getSize();
        BigDecimal bidLeft = bids.isEmpty() ? BigDecimal.ZERO : bids.get(0).getSize();
        while (i < asks.size() && j < bids.size()) {
            BigDecimal unitCost = asks.get(i).getPrice().multiply(buyFactor);
            BigDecimal unitProceeds = bids.get(j).getPrice().multiply(sellFactor);
            if (unitProceeds.compareTo(unitCost) <= 0) {
                break; // from here on every unit loses money: the edge only falls
            }
            BigDecimal step = askLeft.min(bidLeft);
            // on this segment: base + slope * x >= 0, for x in [0, step]
            BigDecimal base = proceeds.subtract(wanted.multiply(cost)).subtract(transferCost);
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
        return at(asks, bids, buyFactor, sellFactor, transferCost, size)
                .filter(edge -> edge.edgeBasisPoints() >= thresholdBasisPoints);
    }

    /** The fill of exactly {@code size} on both books. */
    private static Optional<Edge> at(List<BookLevel> asks, List<BookLevel> bids, BigDecimal buyFactor,
            BigDecimal sellFactor, BigDecimal transferCost, BigDecimal size) {
        BigDecimal bought = walk(asks, size);
        BigDecimal sold = walk(bids, size);
        if (bought == null || sold == null) {
            return Optional.empty();
        }
        BigDecimal cost = bought.multiply(buyFactor);
        BigDecimal money = sold.multiply(sellFactor).subtract(cost).subtract(transferCost);
        int basisPoints = money.multiply(BASIS).divide(cost, 0, RoundingMode.FLOOR).intValueExact();
        return Optional.of(new Edge(size, bought.divide(size, MATH), sold.divide(size, MATH), basisPoints, money));
    }

    /** What {@code size} costs across the levels, before fees; null when the book is not that deep. */
    private static BigDecimal walk(List<BookLevel> levels, BigDecimal size) {
        BigDecimal left = size;
        BigDecimal value = BigDecimal.ZERO;
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
}

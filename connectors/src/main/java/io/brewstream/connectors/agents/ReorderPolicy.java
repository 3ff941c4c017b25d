package io.brewstream.connectors.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How much of an ingredient to reorder: enough to cover what the shop uses while the delivery is on its way (the lead
 * time) and for a cover period after it, above the low-stock threshold. Consumption is learned from the stock level's
 * falls (a rise is a delivery, not negative use) over a sliding window. Pure.
 *
 * @param leadTime  how long a delivery takes
 * @param cover     how long an order should last once it arrived
 * @param window    how far back consumption is averaged
 */
public record ReorderPolicy(Duration leadTime, Duration cover, Duration window) {

    public static ReorderPolicy defaults() {
        return new ReorderPolicy(Duration.ofDays(2), Duration.ofDays(5), Duration.ofDays(14));
    }

    /** The proposal: the quantity, the daily use it assumed and the arithmetic, in the stock's unit. */
    public record Proposal(long quantity, double dailyUse, long needed, long available, long threshold, String why) {
    }

    public Proposal propose(Consumption consumption, long available, long threshold, Instant now) {
        double perDay = consumption.perDay(now, window);
        double days = (leadTime.toMinutes() + cover.toMinutes()) / (24.0 * 60);
        long needed = (long) Math.ceil(perDay * days);
        long quantity = Math.max(0, needed + threshold - available);
        if (quantity == 0 && available < threshold) {
            quantity = threshold - available; // no use seen yet: back up to the threshold at least
        }
        String why = String.format(java.util.Locale.ROOT,
                "%.1f a day over the last %d days x %.1f days (lead time %s + cover %s) = %d, plus threshold %d, less %d available",
                perDay, consumption.daysSeen(now, window), days, leadTime, cover, needed, threshold, available);
        return new Proposal(quantity, perDay, needed, available, threshold, why);
    }

    /** One ingredient's use at one shop, from its successive stock levels. Not thread-safe. */
    public static final class Consumption {
        private final Deque<long[]> uses = new ArrayDeque<>(); // {epochMillis, amount}
        private long firstSeen = -1;
        private Long lastOnHand;

        /** A new on-hand quantity seen at {@code at}: a fall is use. */
        public void observe(long onHand, Instant at, Duration window) {
            long millis = at.toEpochMilli();
            if (firstSeen < 0) {
                firstSeen = millis;
            }
            if (lastOnHand != null && onHand < lastOnHand) {
                uses.addLast(new long[] {millis, lastOnHand - onHand});
            }
            lastOnHand = onHand;
            while (!uses.isEmpty() && uses.peekFirst()[0] < millis - window.toMillis()) {
                uses.removeFirst();
            }
        }

        /** Average use a day within the window; over the time seen when that is shorter (at least an hour). */
        double perDay(Instant now, Duration window) {
            long from = now.toEpochMilli() - window.toMillis();
            long total = 0;
            for (long[] use : uses) {
                if (use[0] >= from) {
                    total += use[1];
                }
            }
            long span = firstSeen < 0 ? window.toMillis() : Math.min(window.toMillis(), now.toEpochMilli() - firstSeen);
            span = Math.max(span, Duration.ofHours(1).toMillis());
            return total * (double) Duration.ofDays(1).toMillis() / span;
        }

        int daysSeen(Instant now, Duration window) {
            long span = firstSeen < 0 ? 0 : Math.min(window.toMillis(), now.toEpochMilli() - firstSeen);
            return (int) Math.max(1, Math.round(span / (double) Duration.ofDays(1).toMillis()));
        }
    }
}

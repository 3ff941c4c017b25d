package io.brewstream.topologies.pricing;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * How prices move.
 *
 * @param strategy             FIXED (base price only), DEMAND, or DEMAND_AND_STOCK
 * @param maxStepBasisPoints   the most the multiplier moves in one change (500 = 5 percentage points)
 * @param minInterval          no two demand or stock changes of one item closer than this
 * @param demandWindow         the recent window whose order rate is compared to the normal rate
 * @param normalWindow         the longer window the normal rate is taken from
 * @param minNormalPerHour     the normal rate never counts as lower than this, so a quiet item's first orders
 *                             are not a spike
 * @param demandSensitivityBasisPoints multiplier added per unit of demand above normal (rate 2x normal: +1x this)
 * @param maxDemandBasisPoints the most demand adds
 * @param scarcityBasisPoints  added while an ingredient of the item is below its low-stock threshold
 * @param surplusPercent       an item all of whose ingredients are above this percent of their threshold...
 * @param surplusBasisPoints   ...is made cheaper by this much
 * @param happyHours           time-of-day discounts in each shop's time zone; they apply with any strategy
 * @param tick                 how often prices are re-evaluated by the clock (happy hours, demand decay, menu)
 */
public record PricingSettings(Strategy strategy, int maxStepBasisPoints, Duration minInterval, Duration demandWindow,
        Duration normalWindow, double minNormalPerHour, int demandSensitivityBasisPoints, int maxDemandBasisPoints,
        int scarcityBasisPoints, int surplusPercent, int surplusBasisPoints, List<HappyHour> happyHours, Duration tick) {

    public enum Strategy { FIXED, DEMAND, DEMAND_AND_STOCK }

    /** A daily discount window, e.g. 15:00 to 17:00 at 20 % off. */
    public record HappyHour(LocalTime start, LocalTime end, int discountBasisPoints) {
        boolean covers(LocalTime time) {
            return start.isBefore(end)
                    ? !time.isBefore(start) && time.isBefore(end)
                    : !time.isBefore(start) || time.isBefore(end); // across midnight
        }

        /** Parses {@code 15:00-17:00@20} (20 percent off). */
        public static HappyHour parse(String text) {
            String[] timesAndDiscount = text.trim().split("@");
            String[] times = timesAndDiscount[0].split("-");
            if (timesAndDiscount.length != 2 || times.length != 2) {
                throw new IllegalArgumentException("happy hour '" + text + "' is not like 15:00-17:00@20");
            }
            return new HappyHour(LocalTime.parse(times[0].trim()), LocalTime.parse(times[1].trim()),
                    Integer.parseInt(timesAndDiscount[1].trim()) * 100);
        }
    }

    public PricingSettings {
        happyHours = List.copyOf(happyHours);
    }

    public static PricingSettings defaults() {
        return new PricingSettings(Strategy.DEMAND_AND_STOCK, 500, Duration.ofMinutes(5), Duration.ofMinutes(15),
                Duration.ofHours(2), 4.0, 1_000, 3_000, 1_000, 2_000, 500, List.of(), Duration.ofSeconds(5));
    }

    public PricingSettings withHappyHours(List<HappyHour> hours) {
        return new PricingSettings(strategy, maxStepBasisPoints, minInterval, demandWindow, normalWindow,
                minNormalPerHour, demandSensitivityBasisPoints, maxDemandBasisPoints, scarcityBasisPoints,
                surplusPercent, surplusBasisPoints, hours, tick);
    }

    /** Parses a comma-separated list of happy hours. */
    public static List<HappyHour> parseHappyHours(String text) {
        List<HappyHour> hours = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                hours.add(HappyHour.parse(part));
            }
        }
        return hours;
    }
}

package io.brewstream.topologies.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.pricing.PricingState;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.topologies.pricing.PricingSettings.HappyHour;
import io.brewstream.topologies.pricing.PricingSettings.Strategy;

/**
 * Decides an item's price at a shop: the base price times a multiplier that demand above the normal rate and
 * scarce stock push up, surplus stock and happy hours push down; within the item's min and max price, moving at
 * most a step per change and not more often than the minimum interval. Happy hours start and end at once, and
 * a new base price takes effect at once (keeping the multiplier).
 */
final class PriceRules {
    static final int ONE = 10_000;
    static final String HAPPY_HOUR_INPUT = "happyHour";

    private final PricingSettings settings;

    PriceRules(PricingSettings settings) {
        this.settings = settings;
    }

    /** The new price, if it differs from the current one. */
    Optional<PriceChange> decide(PricingState state, MenuItem item, Shop shop, Instant now) {
        PriceChange current = state.getCurrent();
        Map<String, String> inputs = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        int target = ONE;
        if (settings.strategy() != Strategy.FIXED) {
            target += demand(state, now, inputs, reasons);
        }
        if (settings.strategy() == Strategy.DEMAND_AND_STOCK) {
            target += stock(state, inputs, reasons);
        }
        Optional<HappyHour> happyHour = happyHourAt(shop, now);
        inputs.put(HAPPY_HOUR_INPUT, String.valueOf(happyHour.isPresent()));
        if (happyHour.isPresent()) {
            target -= happyHour.get().discountBasisPoints();
            reasons.add("happy hour -" + happyHour.get().discountBasisPoints() / 100 + "%");
        }
        inputs.put("targetBasisPoints", String.valueOf(target));

        int multiplier;
        boolean happyHourChanged = current != null
                && !String.valueOf(happyHour.isPresent()).equals(current.getInputs().get(HAPPY_HOUR_INPUT));
        if (current == null || happyHourChanged) {
            multiplier = target;
        } else if (Duration.between(current.getChangedAt(), now).compareTo(settings.minInterval()) < 0) {
            multiplier = current.getMultiplierBasisPoints(); // too soon to move; a new base price still applies
        } else {
            int from = current.getMultiplierBasisPoints();
            multiplier = from + Math.max(-settings.maxStepBasisPoints(), Math.min(settings.maxStepBasisPoints(), target - from));
        }

        Money base = item.getBasePrice();
        long price = unbounded(base, multiplier);
        long bounded = bounded(item, multiplier);
        if (bounded != price) {
            reasons.add(bounded > price ? "held at the minimum price" : "held at the maximum price");
        }
        if (current != null && current.getNewPrice().getAmountMinor() == bounded
                && current.getBasePrice().equals(base)) {
            return Optional.empty();
        }
        if (current != null && !current.getBasePrice().equals(base)) {
            reasons.add("base price now " + Amounts.format(base));
        }
        if (reasons.isEmpty()) {
            reasons.add(current == null ? "base price" : "back to normal");
        }
        return Optional.of(PriceChange.newBuilder()
                .setShopId(state.getShopId())
                .setMenuItemId(state.getMenuItemId())
                .setOldPrice(current == null ? null : current.getNewPrice())
                .setNewPrice(Amounts.of(bounded, base.getCurrency()))
                .setBasePrice(base)
                .setMultiplierBasisPoints(multiplier)
                .setStrategy(settings.strategy().name().toLowerCase().replace('_', '-'))
                .setReason(String.join("; ", reasons))
                .setInputs(inputs)
                .setChangedAt(now)
                .build());
    }

    /** The item's base price times the multiplier, held within the item's minimum and maximum. */
    static long bounded(MenuItem item, int multiplierBasisPoints) {
        long price = unbounded(item.getBasePrice(), multiplierBasisPoints);
        return Math.max(item.getMinPrice().getAmountMinor(), Math.min(item.getMaxPrice().getAmountMinor(), price));
    }

    private static long unbounded(Money base, int multiplierBasisPoints) {
        return BigDecimal.valueOf(base.getAmountMinor()).multiply(BigDecimal.valueOf(multiplierBasisPoints))
                .divide(BigDecimal.valueOf(ONE), 0, RoundingMode.HALF_UP).longValueExact();
    }

    private int demand(PricingState state, Instant now, Map<String, String> inputs, List<String> reasons) {
        long minute = now.getEpochSecond() / 60;
        long recentMinutes = settings.demandWindow().toMinutes();
        long normalMinutes = settings.normalWindow().toMinutes() - recentMinutes;
        long recent = 0;
        long earlier = 0;
        for (Map.Entry<String, Long> bucket : state.getDemandByMinute().entrySet()) {
            long age = minute - Long.parseLong(bucket.getKey());
            if (age < recentMinutes) {
                recent += bucket.getValue();
            } else if (age < recentMinutes + normalMinutes) {
                earlier += bucket.getValue();
            }
        }
        double recentPerHour = recent * 60.0 / recentMinutes;
        double normalPerHour = Math.max(settings.minNormalPerHour(), earlier * 60.0 / normalMinutes);
        double ratio = recentPerHour / normalPerHour;
        inputs.put("demandPerHour", oneDecimal(recentPerHour));
        inputs.put("normalPerHour", oneDecimal(normalPerHour));
        if (ratio <= 1) {
            return 0;
        }
        reasons.add("demand " + oneDecimal(ratio) + "x normal");
        return (int) Math.min(settings.maxDemandBasisPoints(), Math.round((ratio - 1) * settings.demandSensitivityBasisPoints()));
    }

    /** A non-negative number with one decimal, point-separated whatever the locale (and cheaper than String.format). */
    static String oneDecimal(double value) {
        long tenths = Math.round(value * 10);
        return tenths / 10 + "." + tenths % 10;
    }

    private int stock(PricingState state, Map<String, String> inputs, List<String> reasons) {
        if (state.getStockPercentByIngredient().isEmpty()) {
            return 0;
        }
        Map.Entry<String, Integer> scarcest = state.getStockPercentByIngredient().entrySet().stream()
                .min(Map.Entry.comparingByValue()).orElseThrow();
        inputs.put("scarcestIngredient", scarcest.getKey());
        inputs.put("stockPercent", String.valueOf(scarcest.getValue()));
        if (scarcest.getValue() < 100) {
            reasons.add(scarcest.getKey() + " below its low-stock level");
            return settings.scarcityBasisPoints();
        }
        if (scarcest.getValue() > settings.surplusPercent()) {
            reasons.add("plenty of stock");
            return -settings.surplusBasisPoints();
        }
        return 0;
    }

    private Optional<HappyHour> happyHourAt(Shop shop, Instant now) {
        if (settings.happyHours().isEmpty()) {
            return Optional.empty();
        }
        LocalTime local = now.atZone(zone(shop)).toLocalTime();
        return settings.happyHours().stream().filter(h -> h.covers(local)).findFirst();
    }

    private static ZoneId zone(Shop shop) {
        try {
            return shop == null ? ZoneId.of("UTC") : ZoneId.of(shop.getTimezone());
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
    }

    /** Drops demand minutes older than the normal window; whether any were dropped. */
    boolean forgetOldDemand(PricingState state, Instant now) {
        long oldest = now.getEpochSecond() / 60 - settings.normalWindow().toMinutes();
        return state.getDemandByMinute().keySet().removeIf(minute -> Long.parseLong(minute) < oldest);
    }
}

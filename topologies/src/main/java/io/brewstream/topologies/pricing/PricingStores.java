package io.brewstream.topologies.pricing;

import java.time.Duration;

/** Names of the pricing topology's state stores, which interactive queries read. */
public final class PricingStores {
    /** Per {@code shopId:menuItemId}: the current price with its reasons, and the inputs that move it. */
    public static final String PRICES = "prices";
    /** Every price change per {@code shopId:menuItemId}, by time, kept for {@link #HISTORY_RETENTION}. */
    public static final String PRICE_HISTORY = "price-history";
    public static final Duration HISTORY_RETENTION = Duration.ofDays(7);
    /** Per {@code shopId:ingredientId}: the stock level last signalled, as pricing tells levels apart
     * (a percent up to the surplus level, one value above it); an unchanged level is not signalled again. */
    public static final String STOCK_PERCENT_SIGNALLED = "stock-percent-signalled";

    private PricingStores() {
    }
}

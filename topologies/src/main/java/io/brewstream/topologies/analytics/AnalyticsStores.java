package io.brewstream.topologies.analytics;

import java.time.Duration;

/** Names of the analytics topology's state stores, which interactive queries read. */
public final class AnalyticsStores {
    /** Per shop id, one {@code ShopStats} per minute, kept for {@link #RETENTION}. */
    public static final String SHOP_STATS = "shop-stats";
    public static final Duration BUCKET = Duration.ofMinutes(1);
    public static final Duration RETENTION = Duration.ofDays(2);
    /** When each order in preparation started, by order id. */
    static final String PREPARATIONS = "preparations-started";

    private AnalyticsStores() {
    }
}

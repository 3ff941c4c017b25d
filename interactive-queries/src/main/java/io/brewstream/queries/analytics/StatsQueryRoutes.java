package io.brewstream.queries.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.WindowStoreIterator;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.queries.stores.QueryParams;
import io.brewstream.schemas.analytics.ShopStats;
import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.topologies.analytics.AnalyticsStores;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Role;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code GET /api/v1/shops/{shopId}/stats?from=&to=}: a shop's minutes (orders, revenue, items, preparation
 * time) and their sum over the range; the last hour by default.
 */
public final class StatsQueryRoutes implements HttpRoutes {
    public static final String STATS_PATH = "/api/v1/shops/{shopId}/stats";
    private static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    private static final int TOP_ITEMS = 5;

    private final LocalStores stores;
    private final InstanceRouter router;

    public StatsQueryRoutes(LocalStores stores, InstanceRouter router) {
        this.stores = stores;
        this.router = router;
    }

    /** One minute of a shop. */
    public record MinuteView(Instant start, long placed, long validated, long pickedUp, long lost, long revenueMinor,
            long preparations, long preparationMillisTotal) {
    }

    @Override
    public void register(RoutesConfig routes) {
        LocalStores.answerMovedStoresWith503(routes);
        routes.get(STATS_PATH, this::stats, Role.MANAGER);
    }

    private void stats(Context ctx) {
        String shopId = ctx.pathParam("shopId");
        Authentication.requireShop(ctx, shopId, Role.MANAGER);
        OptionalInt partition = router.route(ctx, AnalyticsStores.SHOP_STATS, shopId);
        if (partition.isEmpty()) {
            return; // forwarded to the owner
        }
        Instant to = QueryParams.instant(ctx, "to", Instant.now());
        Instant from = QueryParams.instant(ctx, "from", to.minus(DEFAULT_RANGE));
        List<MinuteView> minutes = new ArrayList<>();
        Map<String, Long> items = new HashMap<>();
        long placed = 0;
        long validated = 0;
        long pickedUp = 0;
        long lost = 0;
        long preparations = 0;
        long preparationMillis = 0;
        Money revenue = null;
        try (WindowStoreIterator<ShopStats> it = stores.store(AnalyticsStores.SHOP_STATS,
                QueryableStoreTypes.<String, ShopStats>windowStore(), InstanceRouter.allowStale(ctx), partition)
                .fetch(shopId, from, to)) {
            while (it.hasNext()) {
                ShopStats s = it.next().value;
                long minuteRevenue = s.getRevenue() == null ? 0 : s.getRevenue().getAmountMinor();
                minutes.add(new MinuteView(s.getWindowStart(), s.getOrdersPlaced(), s.getOrdersValidated(),
                        s.getOrdersPickedUp(), s.getOrdersRejected(), minuteRevenue, s.getPreparations(),
                        s.getPreparationMillisTotal()));
                placed += s.getOrdersPlaced();
                validated += s.getOrdersValidated();
                pickedUp += s.getOrdersPickedUp();
                lost += s.getOrdersRejected();
                preparations += s.getPreparations();
                preparationMillis += s.getPreparationMillisTotal();
                if (s.getRevenue() != null) {
                    revenue = Amounts.plus(revenue, s.getRevenue());
                }
                s.getItemsOrdered().forEach((item, quantity) -> items.merge(item, quantity, Long::sum));
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("ordersPlaced", placed);
        summary.put("ordersValidated", validated);
        summary.put("ordersPickedUp", pickedUp);
        summary.put("ordersLost", lost);
        summary.put("revenue", revenue == null ? null : Map.of("amountMinor", revenue.getAmountMinor(), "currency", revenue.getCurrency()));
        summary.put("averagePreparationSeconds", preparations == 0 ? null : preparationMillis / 1000.0 / preparations);
        summary.put("topItems", items.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_ITEMS).map(e -> Map.of("menuItemId", e.getKey(), "quantity", e.getValue())).toList());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("shopId", shopId);
        body.put("from", from);
        body.put("to", to);
        body.put("summary", summary);
        body.put("minutes", minutes);
        ctx.json(body);
    }
}

package io.brewstream.queries.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Map;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.inventory.InventoryStores;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Role;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code GET /api/v1/shops/{shopId}/stock}: every ingredient of a shop, low ones marked. */
public final class StockQueryRoutes implements HttpRoutes {
    public static final String STOCK_PATH = "/api/v1/shops/{shopId}/stock";
    private final LocalStores stores;
    private final InstanceRouter router;

    public StockQueryRoutes(LocalStores stores, InstanceRouter router) {
        this.stores = stores;
        this.router = router;
    }

    /** One ingredient's stock at a shop; {@code available} is on hand minus reserved. */
    public record StockView(String ingredientId, String unit, long onHand, long reserved, long available,
            long lowStockThreshold, boolean low, Instant updatedAt) {
        static StockView of(StockLevel level) {
            long available = level.getOnHand() - level.getReserved();
            return new StockView(level.getIngredientId(), level.getUnit().name(), level.getOnHand(), level.getReserved(),
                    available, level.getLowStockThreshold(), available < level.getLowStockThreshold(), level.getUpdatedAt());
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        LocalStores.answerMovedStoresWith503(routes);
        routes.get(STOCK_PATH, this::stock, Role.MANAGER);
    }

    private void stock(Context ctx) {
        String shopId = ctx.pathParam("shopId");
        Authentication.requireShop(ctx, shopId, Role.MANAGER);
        // the inventory topology partitions by shop id: one instance holds all of a shop's stock
        OptionalInt partition = router.route(ctx, InventoryStores.STOCK, shopId);
        if (partition.isEmpty()) {
            return; // forwarded to the owner
        }
        List<StockView> levels = new ArrayList<>();
        try (KeyValueIterator<String, StockLevel> it = stores.<String, StockLevel>keyValueStore(InventoryStores.STOCK,
                        InstanceRouter.allowStale(ctx), partition)
                .prefixScan(Keys.shopPrefix(shopId), new StringSerializer())) {
            it.forEachRemaining(kv -> levels.add(StockView.of(kv.value)));
        }
        ctx.json(Map.of("shopId", shopId, "ingredients", levels));
    }
}

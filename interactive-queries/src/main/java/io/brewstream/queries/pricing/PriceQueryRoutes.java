package io.brewstream.queries.pricing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Map;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.WindowStoreIterator;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.queries.stores.QueryParams;
import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.pricing.PricingState;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.pricing.PricingStores;
import io.brewstream.platform.security.Access;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Role;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Reads of prices: a shop's current price list, one item's price with the reasons and inputs of its last
 * change, and its history over a time range.
 */
public final class PriceQueryRoutes implements HttpRoutes {
    public static final String PRICES_PATH = "/api/v1/shops/{shopId}/prices";
    private static final Duration DEFAULT_HISTORY = Duration.ofHours(24);

    private final LocalStores stores;
    private final InstanceRouter router;

    public PriceQueryRoutes(LocalStores stores, InstanceRouter router) {
        this.stores = stores;
        this.router = router;
    }

    /** A price as the read API shows it. */
    public record PriceView(String shopId, String menuItemId, long amountMinor, String currency, long baseAmountMinor,
            int multiplierBasisPoints, String strategy, String reason, Map<String, String> inputs, Instant changedAt) {
        public static PriceView of(PriceChange c) {
            Money price = c.getNewPrice();
            return new PriceView(c.getShopId(), c.getMenuItemId(), price.getAmountMinor(), price.getCurrency(),
                    c.getBasePrice().getAmountMinor(), c.getMultiplierBasisPoints(), c.getStrategy(), c.getReason(),
                    Map.copyOf(c.getInputs()), c.getChangedAt());
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        LocalStores.answerMovedStoresWith503(routes);
        // what an item costs now is for everyone who may order; why it costs that and how it moved, for managers
        routes.get(PRICES_PATH, this::priceList, Access.AUTHENTICATED);
        routes.get(PRICES_PATH + "/{menuItemId}", this::price, Role.MANAGER);
        routes.get(PRICES_PATH + "/{menuItemId}/history", this::history, Role.MANAGER);
    }

    private void priceList(Context ctx) {
        String shopId = ctx.pathParam("shopId");
        List<PriceView> prices = new ArrayList<>();
        try (KeyValueIterator<String, PricingState> it = stores.<String, PricingState>keyValueStore(PricingStores.PRICES,
                        InstanceRouter.allowStale(ctx))
                .prefixScan(Keys.shopPrefix(shopId), new StringSerializer())) {
            it.forEachRemaining(kv -> {
                if (kv.value.getCurrent() != null) {
                    prices.add(PriceView.of(kv.value.getCurrent()));
                }
            });
        }
        // prices are partitioned by shop and item: every instance holds some of the shop's
        router.respondMerged(ctx, Map.of("shopId", shopId), "prices", prices,
                Comparator.comparing(p -> p.path("menuItemId").asText()));
    }

    private void price(Context ctx) {
        Authentication.requireShop(ctx, ctx.pathParam("shopId"), Role.MANAGER);
        String key = Keys.shopItem(ctx.pathParam("shopId"), ctx.pathParam("menuItemId"));
        OptionalInt partition = router.route(ctx, PricingStores.PRICES, key);
        if (partition.isEmpty()) {
            return; // forwarded to the owner
        }
        PricingState state = stores.get(PricingStores.PRICES, key, InstanceRouter.allowStale(ctx), partition);
        if (state == null || state.getCurrent() == null) {
            throw ProblemException.notFound("no price for " + key + " yet; orders use the menu's base price");
        }
        ctx.json(PriceView.of(state.getCurrent()));
    }

    private void history(Context ctx) {
        Authentication.requireShop(ctx, ctx.pathParam("shopId"), Role.MANAGER);
        String key = Keys.shopItem(ctx.pathParam("shopId"), ctx.pathParam("menuItemId"));
        OptionalInt partition = router.route(ctx, PricingStores.PRICE_HISTORY, key);
        if (partition.isEmpty()) {
            return; // forwarded to the owner
        }
        Instant to = QueryParams.instant(ctx, "to", Instant.now());
        Instant from = QueryParams.instant(ctx, "from", to.minus(DEFAULT_HISTORY));
        if (from.isAfter(to)) {
            throw new ProblemException(Problem.invalidFields(List.of(new Problem.FieldError("from", "must not be after to"))));
        }
        List<PriceView> changes = new ArrayList<>();
        try (WindowStoreIterator<PriceChange> it = stores.store(PricingStores.PRICE_HISTORY,
                QueryableStoreTypes.<String, PriceChange>windowStore(), InstanceRouter.allowStale(ctx), partition)
                .fetch(key, from, to)) {
            it.forEachRemaining(kv -> changes.add(PriceView.of(kv.value)));
        } catch (InvalidStateStoreException e) {
            throw ProblemException.unavailable("the price history is not available: " + e.getMessage(), 1);
        }
        ctx.json(Map.of("shopId", ctx.pathParam("shopId"), "menuItemId", ctx.pathParam("menuItemId"),
                "from", from, "to", to, "changes", changes));
    }
}

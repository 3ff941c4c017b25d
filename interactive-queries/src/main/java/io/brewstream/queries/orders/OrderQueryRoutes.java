package io.brewstream.queries.orders;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueIterator;

import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.queries.limits.OpenConnections;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.topologies.orders.OrderStores;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Principal;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.runtime.TypedStreams;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Reads of orders: one order (optionally long-polled with {@code waitFor} and {@code timeout}), and a shop's
 * open orders by state, the barista queue.
 */
public final class OrderQueryRoutes implements HttpRoutes, AutoCloseable {
    public static final String ORDER_PATH = "/api/v1/orders/{orderId}";
    public static final String SHOP_ORDERS_PATH = "/api/v1/shops/{shopId}/orders";
    static final String WAIT_HEADER = "Brewstream-Wait";
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** How the orders application's inputs, and so its stores, are partitioned: by shop. */
    private static final StreamPartitioner<String, Object> BY_SHOP = TypedStreams.partitioner(Topics.ORDER_COMMANDS);
    private final LocalStores stores;
    private final InstanceRouter router;
    private final OrderWaiter waiter = new OrderWaiter();
    private final OpenConnections openConnections;

    public OrderQueryRoutes(LocalStores stores, InstanceRouter router, OpenConnections openConnections) {
        this.stores = stores;
        this.router = router;
        this.openConnections = openConnections;
    }

    @Override
    public void register(RoutesConfig routes) {
        LocalStores.answerMovedStoresWith503(routes);
        routes.get(ORDER_PATH, this::getOrder, Role.CUSTOMER, Role.STAFF, Role.MANAGER, Role.ANALYST);
        routes.get(SHOP_ORDERS_PATH, this::shopOrders, Role.STAFF, Role.MANAGER);
    }

    private void getOrder(Context ctx) {
        String orderId = ctx.pathParam("orderId");
        String waitFor = ctx.queryParam("waitFor");
        OptionalInt partition = router.route(ctx, OrderStores.ORDERS, orderId, BY_SHOP);
        if (partition.isEmpty()) {
            return; // forwarded to the owner
        }
        boolean stale = InstanceRouter.allowStale(ctx);
        if (waitFor == null) {
            respond(ctx, orderId, stores.<String, Order>get(OrderStores.ORDERS, orderId, stale, partition), null);
            return;
        }
        OrderStatus status = parseStatus("waitFor", waitFor);
        Duration timeout = parseTimeout(ctx.queryParam("timeout"));
        Order now = stores.get(OrderStores.ORDERS, orderId, stale, partition);
        if (now != null) {
            permitted(ctx, now); // nobody waits on someone else's order
        }
        OpenConnections.Permit permit = openConnections.acquire(Authentication.principal(ctx).subject());
        ctx.future(() -> waiter.await(() -> stores.<String, Order>get(OrderStores.ORDERS, orderId, stale, partition), status, timeout)
                .handle((outcome, error) -> {
                    permit.close();
                    if (error != null) {
                        HttpService.fail(ctx, error);
                        return null;
                    }
                    respond(ctx, orderId, outcome.order(), outcome.reached() ? "reached" : "timeout");
                    return null;
                }));
    }

    private static void respond(Context ctx, String orderId, Order order, String waitOutcome) {
        if (order == null) {
            if (waitOutcome != null) {
                ctx.header(WAIT_HEADER, waitOutcome);
            }
            HttpService.problem(ctx, Problem.of(404, "Not found", "no such order"));
            return;
        }
        boolean ownCustomer = permitted(ctx, order);
        if (waitOutcome != null) {
            ctx.header(WAIT_HEADER, waitOutcome);
        }
        // the pickup code is the customer's to show at the counter; nobody else sees it
        ctx.json(ownCustomer ? OrderView.forCustomer(order) : OrderView.of(order));
    }

    /** Refuses unless the order is the caller's own, their shop's, or they are an analyst; true for its customer. */
    private static boolean permitted(Context ctx, Order order) {
        Principal who = Authentication.principal(ctx);
        boolean ownCustomer = who.isCustomer(order.getCustomerId());
        if (!ownCustomer && !who.actsForShop(order.getShopId(), Role.STAFF, Role.MANAGER) && !who.has(Role.ANALYST)) {
            throw Authentication.forbidden("this order is neither yours nor your shop's");
        }
        return ownCustomer;
    }

    private void shopOrders(Context ctx) {
        String shopId = ctx.pathParam("shopId");
        Authentication.requireShop(ctx, shopId, Role.STAFF, Role.MANAGER);
        String stateParam = ctx.queryParam("state");
        Set<OrderStatus> states = stateParam == null ? null : Arrays.stream(stateParam.split(","))
                .map(s -> parseStatus("state", s.trim())).collect(Collectors.toSet());
        // orders are partitioned by shop: one instance holds all of a shop's open orders
        OptionalInt partition = router.route(ctx, OrderStores.OPEN_ORDERS_BY_SHOP, shopId, BY_SHOP);
        if (partition.isEmpty()) {
            return; // forwarded to the owner
        }
        List<OrderView> open;
        try (KeyValueIterator<String, Order> it = stores.<String, Order>keyValueStore(OrderStores.OPEN_ORDERS_BY_SHOP,
                        InstanceRouter.allowStale(ctx), partition)
                .prefixScan(OrderStores.shopPrefix(shopId), new org.apache.kafka.common.serialization.StringSerializer())) {
            List<Order> orders = new java.util.ArrayList<>();
            it.forEachRemaining(kv -> orders.add(kv.value));
            open = orders.stream()
                    .filter(o -> states == null || states.contains(o.getStatus()))
                    .sorted(Comparator.comparing(Order::getPlacedAt))
                    .map(OrderView::of)
                    .toList();
        }
        ctx.json(java.util.Map.of("shopId", shopId, "orders", open));
    }

    private static OrderStatus parseStatus(String param, String value) {
        try {
            return OrderStatus.valueOf(value.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.invalidFields(List.of(new Problem.FieldError(param,
                    "must be one of " + Arrays.toString(OrderStatus.values())))));
        }
    }

    private static Duration parseTimeout(String value) {
        if (value == null) {
            return Duration.ofSeconds(10);
        }
        Duration timeout;
        try {
            timeout = Env.parseDuration(value);
        } catch (RuntimeException e) {
            throw new ProblemException(Problem.invalidFields(List.of(new Problem.FieldError("timeout",
                    "must be a duration such as 500ms, 5s or PT5S"))));
        }
        if (timeout.isNegative() || timeout.compareTo(MAX_WAIT) > 0) {
            throw new ProblemException(Problem.invalidFields(List.of(new Problem.FieldError("timeout",
                    "must be between 0 and " + MAX_WAIT.toSeconds() + "s"))));
        }
        return timeout;
    }

    @Override
    public void close() {
        waiter.close();
    }
}

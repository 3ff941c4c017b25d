package io.brewstream.queries.orders;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.schemas.orders.Order;
import io.brewstream.topologies.orders.OrderStores;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Reads of orders: {@code GET /api/v1/orders/{id}}. */
public final class OrderQueryRoutes implements HttpRoutes {
    public static final String ORDER_PATH = "/api/v1/orders/{orderId}";

    private final LocalStores stores;

    public OrderQueryRoutes(LocalStores stores) {
        this.stores = stores;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(ORDER_PATH, this::getOrder);
    }

    private void getOrder(Context ctx) {
        String orderId = ctx.pathParam("orderId");
        Order order = stores.get(OrderStores.ORDERS, orderId);
        if (order == null) {
            throw ProblemException.notFound("no order " + orderId);
        }
        ctx.json(OrderView.of(order));
    }
}

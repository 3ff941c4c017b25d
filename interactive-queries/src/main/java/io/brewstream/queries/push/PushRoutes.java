package io.brewstream.queries.push;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.Json;
import io.brewstream.queries.fraud.FraudQueryRoutes;
import io.brewstream.queries.orders.OrderView;
import io.brewstream.queries.pricing.PriceQueryRoutes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.sse.SseClient;

/**
 * Server-sent events for dashboards: a shop's order changes, a shop's price changes, fraud alerts. A comment
 * every {@value #KEEP_ALIVE_SECONDS} s keeps proxies from closing idle streams; a client that goes away is
 * unsubscribed.
 */
public final class PushRoutes implements HttpRoutes, AutoCloseable {
    public static final String SHOP_ORDER_EVENTS = "/api/v1/streams/shops/{shopId}/orders";
    public static final String SHOP_PRICE_EVENTS = "/api/v1/streams/shops/{shopId}/prices";
    public static final String ALERT_EVENTS = "/api/v1/streams/fraud-alerts";
    static final int KEEP_ALIVE_SECONDS = 15;

    private final ChangeFeed feed;
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sse-keep-alive");
        t.setDaemon(true);
        return t;
    });

    public PushRoutes(ChangeFeed feed) {
        this.feed = feed;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.sse(SHOP_ORDER_EVENTS, client -> stream(client, Topics.ORDER_EVENTS,
                e -> e.getOrder() != null && e.getOrder().getShopId().equals(client.ctx().pathParam("shopId")),
                "order", e -> OrderView.of(e.getOrder())));
        routes.sse(SHOP_PRICE_EVENTS, client -> stream(client, Topics.PRICE_CHANGES,
                c -> c.getShopId().equals(client.ctx().pathParam("shopId")),
                "price", PriceQueryRoutes.PriceView::of));
        routes.sse(ALERT_EVENTS, client -> stream(client, Topics.FRAUD_ALERTS, a -> true,
                "alert", FraudQueryRoutes.ScoreView::of));
    }

    private <V extends SpecificRecord> void stream(SseClient client, Topic<V> topic, Predicate<V> filter, String event,
            java.util.function.Function<V, Object> view) {
        client.keepAlive();
        client.sendComment("connected");
        AutoCloseable subscription = feed.subscribe(topic, filter, value -> {
            if (client.terminated()) {
                throw new IllegalStateException("client gone");
            }
            client.sendEvent(event, json(view.apply(value)));
        });
        var pings = keepAlive.scheduleAtFixedRate(() -> {
            if (!client.terminated()) {
                client.sendComment("keep-alive");
            }
        }, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        client.onClose(() -> {
            pings.cancel(false);
            try {
                subscription.close();
            } catch (Exception ignored) {
                // removing from a list does not fail
            }
        });
    }

    private static String json(Object view) {
        try {
            return Json.mapper().writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        keepAlive.shutdownNow();
    }

}

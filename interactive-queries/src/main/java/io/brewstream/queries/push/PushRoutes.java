package io.brewstream.queries.push;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.Json;
import io.brewstream.queries.fraud.FraudQueryRoutes;
import io.brewstream.queries.limits.OpenConnections;
import io.brewstream.queries.orders.OrderView;
import io.brewstream.queries.pricing.PriceQueryRoutes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.platform.security.Access;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Role;
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
    public static final String SHOP_INVOICE_EVENTS = "/api/v1/streams/shops/{shopId}/invoices";
    public static final String ARBITRAGE_EVENTS = "/api/v1/streams/arbitrage";
    static final int KEEP_ALIVE_SECONDS = 15;

    /** Events queued for one subscriber before it counts as too slow and is dropped (it may reconnect). */
    static final int QUEUE_PER_SUBSCRIBER = 256;
    private static final String PERMIT = "brewstream.open-connection";
    private static final Logger log = LoggerFactory.getLogger(PushRoutes.class);

    private final ChangeFeed feed;
    private final OpenConnections openConnections;
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sse-keep-alive");
        t.setDaemon(true);
        return t;
    });
    /** Writes to subscribers, off the change feed's thread: a slow reader holds up only its own writer. */
    private final ExecutorService writers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sse-writer");
        t.setDaemon(true);
        return t;
    });

    public PushRoutes(ChangeFeed feed, OpenConnections openConnections) {
        this.feed = feed;
        this.openConnections = openConnections;
    }

    @Override
    public void register(RoutesConfig routes) {
        // a shop's order changes are for its staff (never with pickup codes); prices for anyone who may order;
        // fraud alerts for analysts. Each stream holds one of the caller's open-connection slots.
        routes.beforeMatched(SHOP_ORDER_EVENTS, ctx -> Authentication.requireShop(ctx, ctx.pathParam("shopId"),
                Role.STAFF, Role.MANAGER));
        routes.beforeMatched(SHOP_INVOICE_EVENTS, ctx -> Authentication.requireShop(ctx, ctx.pathParam("shopId"),
                Role.STAFF, Role.MANAGER));
        for (String path : new String[] {SHOP_ORDER_EVENTS, SHOP_PRICE_EVENTS, ALERT_EVENTS, SHOP_INVOICE_EVENTS,
                ARBITRAGE_EVENTS}) {
            routes.beforeMatched(path, ctx -> ctx.attribute(PERMIT,
                    openConnections.acquire(Authentication.principal(ctx).subject())));
        }
        routes.sse(SHOP_ORDER_EVENTS, client -> stream(client, Topics.ORDER_EVENTS,
                e -> e.getOrder() != null && e.getOrder().getShopId().equals(client.ctx().pathParam("shopId")),
                "order", e -> OrderView.of(e.getOrder())), Role.STAFF, Role.MANAGER);
        routes.sse(SHOP_PRICE_EVENTS, client -> stream(client, Topics.PRICE_CHANGES,
                c -> c.getShopId().equals(client.ctx().pathParam("shopId")),
                "price", PriceQueryRoutes.PriceView::of), Access.AUTHENTICATED);
        routes.sse(ALERT_EVENTS, client -> stream(client, Topics.FRAUD_ALERTS, a -> true,
                "alert", FraudQueryRoutes.ScoreView::of), Role.ANALYST);
        routes.sse(SHOP_INVOICE_EVENTS, client -> stream(client, Topics.INVOICES,
                i -> i.getShopId().equals(client.ctx().pathParam("shopId")),
                "invoice", io.brewstream.queries.payments.InvoiceQueryRoutes.InvoiceView::of), Role.STAFF, Role.MANAGER);
        routes.sse(ARBITRAGE_EVENTS, client -> stream(client, Topics.ARBITRAGE_OPPORTUNITIES, o -> true, "opportunity",
                io.brewstream.queries.arbitrage.ArbitrageQueryRoutes.OpportunityView::of), Role.ANALYST, Role.MANAGER);
    }

    private <V extends SpecificRecord> void stream(SseClient client, Topic<V> topic, Predicate<V> filter, String event,
            java.util.function.Function<V, Object> view) {
        OpenConnections.Permit permit = client.ctx().attribute(PERMIT);
        client.keepAlive();
        client.sendComment("connected");
        Subscriber subscriber = new Subscriber(client);
        AutoCloseable subscription = feed.subscribe(topic, filter, value -> subscriber.offer(event, json(view.apply(value))));
        var pings = keepAlive.scheduleAtFixedRate(() -> subscriber.offer(null, "keep-alive"),
                KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        client.onClose(() -> {
            pings.cancel(false);
            if (permit != null) {
                permit.close();
            }
            try {
                subscription.close();
            } catch (Exception ignored) {
                // removing from a list does not fail
            }
        });
    }

    /**
     * One subscriber's queue. The change feed only enqueues; a writer drains the queue to the client. When the
     * queue is full the subscriber is too slow: it is closed rather than let it hold up anyone else.
     */
    private final class Subscriber {
        private final SseClient client;
        private final BlockingQueue<String[]> queue = new ArrayBlockingQueue<>(QUEUE_PER_SUBSCRIBER);
        private final AtomicBoolean draining = new AtomicBoolean();
        /** A write failed: the connection is gone, whatever the client says (see {@link #drain}). */
        private volatile boolean gone;

        Subscriber(SseClient client) {
            this.client = client;
        }

        /** @param event the event name, or null for a comment */
        void offer(String event, String data) {
            if (gone || client.terminated()) {
                throw new IllegalStateException("client gone"); // the change feed removes the subscription
            }
            if (!queue.offer(new String[] {event, data})) {
                client.close();
                throw new IllegalStateException("subscriber too slow; dropped");
            }
            if (draining.compareAndSet(false, true)) {
                writers.execute(this::drain);
            }
        }

        /**
         * Writes what is queued. A write to a connection that is gone throws out of Javalin (it closes the client,
         * whose request Jetty has already recycled, and its exception mapper fails on that request); the subscriber
         * is then gone for good: its queue is dropped and the next offer ends its subscription. Before, the writer
         * was scheduled again and again for what was left, logging two stack traces each time.
         */
        private void drain() {
            try {
                String[] next;
                while (!gone && (next = queue.poll()) != null && !client.terminated()) {
                    if (next[0] == null) {
                        client.sendComment(next[1]);
                    } else {
                        client.sendEvent(next[0], next[1]);
                    }
                }
            } catch (RuntimeException connectionGone) {
                gone = true;
                queue.clear();
                log.debug("an event stream's connection is gone: {}", connectionGone.toString());
            } finally {
                draining.set(false);
                if (!gone && !queue.isEmpty() && !client.terminated() && draining.compareAndSet(false, true)) {
                    writers.execute(this::drain);
                }
            }
        }
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
        writers.shutdownNow();
    }

}

package io.brewstream.queries.orders;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.brewstream.platform.http.ProblemException;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderStatus;

/**
 * Long-polls an order: completes as soon as it reaches the awaited status or any final one, or with whatever
 * it is (possibly nothing) when the timeout passes. Looks the key up every few milliseconds on a scheduler,
 * so waiting requests hold no HTTP thread.
 */
final class OrderWaiter implements AutoCloseable {
    static final Set<OrderStatus> FINAL =
            EnumSet.of(OrderStatus.PICKED_UP, OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.EXPIRED);
    private static final long POLL_MILLIS = 20;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "order-long-poll");
        t.setDaemon(true);
        return t;
    });

    /** The outcome of a wait: the order as last seen (null if unknown) and whether the wait was met. */
    record Outcome(Order order, boolean reached) {
    }

    CompletableFuture<Outcome> await(Supplier<Order> lookup, OrderStatus waitFor, Duration timeout) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        ScheduledFuture<?> poll = scheduler.scheduleWithFixedDelay(() -> {
            boolean timedOut = System.nanoTime() >= deadline;
            try {
                Order order = lookup.get();
                if (order != null && (order.getStatus() == waitFor || FINAL.contains(order.getStatus()))) {
                    result.complete(new Outcome(order, true));
                } else if (timedOut) {
                    result.complete(new Outcome(order, false));
                }
            } catch (ProblemException unavailable) {
                // the store is briefly away (rebalance, restore): keep waiting; at the deadline, say so
                if (timedOut) {
                    result.completeExceptionally(unavailable);
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        result.whenComplete((outcome, error) -> poll.cancel(false));
        return result;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

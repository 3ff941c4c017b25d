package io.brewstream.topologies.analytics;

import java.time.Instant;
import java.util.HashMap;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import io.brewstream.schemas.analytics.ShopStats;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderLine;

/**
 * Counts a shop's order transitions into one-minute buckets (records arrive keyed by shop id): orders placed,
 * validated, picked up and lost, revenue and items of the validated ones, preparation times.
 */
final class ShopStatsCounter implements Processor<String, OrderEvent, Void, Void> {
    private WindowStore<String, ShopStats> stats;
    private KeyValueStore<String, Long> preparations;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        stats = context.getStateStore(AnalyticsStores.SHOP_STATS);
        preparations = context.getStateStore(AnalyticsStores.PREPARATIONS);
    }

    @Override
    public void process(Record<String, OrderEvent> record) {
        OrderEvent event = record.value();
        Order order = event.getOrder();
        if (order == null || event.getToStatus() == null) {
            return;
        }
        Instant at = event.getOccurredAt();
        long bucket = at.toEpochMilli() - at.toEpochMilli() % AnalyticsStores.BUCKET.toMillis();
        ShopStats current = stats.fetch(record.key(), bucket);
        ShopStats next = current != null
                ? ShopStats.newBuilder(current).setItemsOrdered(new HashMap<>(current.getItemsOrdered())).build()
                : ShopStats.newBuilder().setShopId(record.key()).setWindowStart(Instant.ofEpochMilli(bucket))
                        .setItemsOrdered(new HashMap<>()).build();
        if (event.getFromStatus() == null) {
            // a new order, whether it stays PLACED, is validated or rejected in the step that places it
            next.setOrdersPlaced(next.getOrdersPlaced() + 1);
        }
        switch (event.getToStatus()) {
            case PLACED:
                break;
            case VALIDATED:
                next.setOrdersValidated(next.getOrdersValidated() + 1);
                if (order.getTotal() != null) {
                    next.setRevenue(Amounts.plus(next.getRevenue(), order.getTotal()));
                }
                for (OrderLine line : order.getLines()) {
                    next.getItemsOrdered().merge(line.getMenuItemId(), (long) line.getQuantity(), Long::sum);
                }
                break;
            case IN_PREPARATION:
                preparations.put(order.getOrderId(), at.toEpochMilli());
                return;
            case READY:
                Long started = preparations.get(order.getOrderId());
                if (started == null) {
                    return;
                }
                preparations.delete(order.getOrderId());
                next.setPreparationMillisTotal(next.getPreparationMillisTotal() + at.toEpochMilli() - started);
                next.setPreparations(next.getPreparations() + 1);
                break;
            case PICKED_UP:
                next.setOrdersPickedUp(next.getOrdersPickedUp() + 1);
                break;
            default: // CANCELLED, REJECTED, EXPIRED
                preparations.delete(order.getOrderId());
                next.setOrdersRejected(next.getOrdersRejected() + 1);
                break;
        }
        stats.put(record.key(), next, bucket);
    }
}

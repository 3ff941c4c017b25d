package io.brewstream.topologies.payments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.payments.InvoiceRequest;

/**
 * Prices invoice requests from the order's own state, both keyed by order id. A customer may ask the moment the
 * order API shows its total, a moment before the order's state is on its topic: a request for an order not yet
 * priced (or not yet seen) waits for it, up to {@code wait}, instead of being refused. Only open orders are kept
 * (a closed one is deleted); a request left waiting is refused when its order moves on or the wait runs out.
 */
final class InvoicePricer implements Processor<String, SpecificRecord, String, InvoiceRequest> {
    private static final java.util.Set<OrderStatus> OPEN = java.util.EnumSet.of(OrderStatus.PLACED, OrderStatus.VALIDATED,
            OrderStatus.IN_PREPARATION, OrderStatus.READY);
    private final Duration wait;
    private ProcessorContext<String, InvoiceRequest> context;
    private KeyValueStore<String, Order> orders;
    private KeyValueStore<String, InvoiceRequest> pending;

    InvoicePricer(Duration wait) {
        this.wait = wait;
    }

    @Override
    public void init(ProcessorContext<String, InvoiceRequest> context) {
        this.context = context;
        orders = context.getStateStore(InvoiceStores.ORDERS);
        pending = context.getStateStore(InvoiceStores.PENDING);
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::giveUp);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof InvoiceRequest request) {
            Order order = orders.get(request.getOrderId());
            if (!InvoiceRules.payable(order) && InvoiceRules.mayBecomePayable(order)) {
                pending.put(request.getOrderId() + "|" + request.getInvoiceId(), request);
                return;
            }
            context.forward(record.withValue(InvoiceRules.priced(request, order)));
        } else if (record.value() instanceof Order order) {
            if (OPEN.contains(order.getStatus())) {
                orders.put(order.getOrderId(), order);
            } else {
                orders.delete(order.getOrderId()); // closed: the store holds open orders only
            }
            if (InvoiceRules.mayBecomePayable(order) && !InvoiceRules.payable(order)) {
                return;
            }
            for (KeyValue<String, InvoiceRequest> waiting : waitingFor(order.getOrderId())) {
                pending.delete(waiting.key);
                context.forward(new Record<>(order.getOrderId(), InvoiceRules.priced(waiting.value, order), record.timestamp()));
            }
        }
    }

    private List<KeyValue<String, InvoiceRequest>> waitingFor(String orderId) {
        List<KeyValue<String, InvoiceRequest>> found = new ArrayList<>();
        try (KeyValueIterator<String, InvoiceRequest> it = pending.prefixScan(orderId + "|", new StringSerializer())) {
            it.forEachRemaining(found::add);
        }
        return found;
    }

    /** Requests that waited longer than {@code wait}: refused, the order being unknown or still unpriced. */
    private void giveUp(long wallClock) {
        Instant cutoff = Instant.ofEpochMilli(wallClock).minus(wait);
        List<KeyValue<String, InvoiceRequest>> expired = new ArrayList<>();
        try (KeyValueIterator<String, InvoiceRequest> it = pending.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value.getRequestedAt().isBefore(cutoff)) {
                    expired.add(kv);
                }
            });
        }
        for (KeyValue<String, InvoiceRequest> kv : expired) {
            pending.delete(kv.key);
            context.forward(new Record<>(kv.value.getOrderId(), InvoiceRules.priced(kv.value, orders.get(kv.value.getOrderId())),
                    wallClock));
        }
    }
}

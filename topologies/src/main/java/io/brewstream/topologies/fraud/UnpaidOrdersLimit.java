package io.brewstream.topologies.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.ValidationResult;

/**
 * How many orders a customer has waiting to be validated (placed, not yet paid and checked) at once. An order
 * placed while the customer already has the limit waiting fails its FRAUD check straight away, with a reason the
 * customer can act on; the others keep their places. Keyed by customer id; an order leaves the count when it
 * leaves PLACED (validated, rejected, cancelled or expired).
 */
final class UnpaidOrdersLimit implements Processor<String, OrderEvent, String, ValidationResult> {
    static final String REASON = "you have %d orders waiting for payment; pay or cancel one of them first";

    private final int limit;
    private ProcessorContext<String, ValidationResult> context;
    private KeyValueStore<String, String> waiting;

    UnpaidOrdersLimit(int limit) {
        this.limit = limit;
    }

    @Override
    public void init(ProcessorContext<String, ValidationResult> context) {
        this.context = context;
        waiting = context.getStateStore(FraudStores.UNPAID_ORDERS);
    }

    /** A new order (nothing to PLACED), or one leaving PLACED. */
    static boolean matters(OrderEvent event) {
        return event.getOrder() != null && Boolean.TRUE.equals(event.getAccepted())
                && (event.getFromStatus() == null && event.getToStatus() == OrderStatus.PLACED
                        || event.getFromStatus() == OrderStatus.PLACED && event.getToStatus() != OrderStatus.PLACED
                                && event.getToStatus() != null);
    }

    @Override
    public void process(Record<String, OrderEvent> record) {
        String customer = record.key();
        OrderEvent event = record.value();
        String orderId = event.getOrderId();
        List<String> ids = ids(waiting.get(customer));
        if (event.getToStatus() == OrderStatus.PLACED) {
            if (ids.contains(orderId)) {
                return; // a redelivery
            }
            if (ids.size() >= limit) {
                Instant now = Instant.ofEpochMilli(record.timestamp());
                context.forward(new Record<>(orderId, ValidationResult.newBuilder().setOrderId(orderId)
                        .setCheck(CheckType.FRAUD).setPassed(false).setReasons(List.of(String.format(REASON, ids.size())))
                        .setCheckedAt(now).build(), record.timestamp()));
                return;
            }
            ids.add(orderId);
        } else if (!ids.remove(orderId)) {
            return;
        }
        if (ids.isEmpty()) {
            waiting.delete(customer);
        } else {
            waiting.put(customer, String.join(",", ids));
        }
    }

    private static List<String> ids(String joined) {
        return joined == null || joined.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(joined.split(",")));
    }
}

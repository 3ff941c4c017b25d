package io.brewstream.topologies.orders;

import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;

/** Applies each order command to the order in the store and emits what happened as an {@link OrderEvent}. */
final class OrderCommandProcessor implements Processor<String, OrderCommand, String, OrderEvent> {
    private final OrderStateMachine stateMachine;
    private ProcessorContext<String, OrderEvent> context;
    private KeyValueStore<String, Order> orders;

    OrderCommandProcessor(OrderStateMachine stateMachine) {
        this.stateMachine = stateMachine;
    }

    @Override
    public void init(ProcessorContext<String, OrderEvent> context) {
        this.context = context;
        this.orders = context.getStateStore(OrderStores.ORDERS);
    }

    @Override
    public void process(Record<String, OrderCommand> record) {
        OrderCommand command = record.value();
        if (command == null) {
            return;
        }
        if (!command.getOrderId().equals(record.key())) {
            throw new IllegalArgumentException("command for order " + command.getOrderId() + " keyed by " + record.key());
        }
        Order current = orders.get(record.key());
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Transition transition = stateMachine.apply(current, command, now);
        if (transition.isDuplicate()) {
            return;
        }
        if (transition.orderChanged()) {
            orders.put(record.key(), transition.order());
        }
        Order after = transition.order();
        OrderEvent event = OrderEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOrderId(record.key())
                .setShopId(after != null ? after.getShopId() : null)
                .setCommandId(command.getCommandId())
                .setFromStatus(transition.from())
                .setToStatus(after != null ? after.getStatus() : null)
                .setAccepted(transition.accepted())
                .setReasons(transition.reasons())
                .setOrder(after)
                .setOccurredAt(now)
                .build();
        context.forward(record.withValue(event).withTimestamp(now.toEpochMilli()));
    }
}

package io.brewstream.topologies.fraud;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderStatus;

/**
 * Lets an order into scoring once. While an order awaits its fraud check its events repeat (its other checks and
 * its payment come in), and each would otherwise be re-keyed through three repartitions and looked at again.
 * Remembers the orders let in until they leave PLACED.
 */
final class ScoringIntake implements FixedKeyProcessor<String, OrderEvent, OrderEvent> {
    private FixedKeyProcessorContext<String, OrderEvent> context;
    private KeyValueStore<String, Long> letIn;

    @Override
    public void init(FixedKeyProcessorContext<String, OrderEvent> context) {
        this.context = context;
        letIn = context.getStateStore(FraudStores.LET_INTO_SCORING);
    }

    @Override
    public void process(FixedKeyRecord<String, OrderEvent> record) {
        OrderEvent event = record.value();
        Order order = event == null ? null : event.getOrder();
        if (order == null) {
            return;
        }
        String orderId = record.key();
        if (FraudTopology.awaitsFraudCheck(order)) {
            if (letIn.get(orderId) == null) {
                letIn.put(orderId, record.timestamp());
                context.forward(record);
            }
        } else if (event.getFromStatus() == OrderStatus.PLACED && order.getStatus() != OrderStatus.PLACED
                && letIn.get(orderId) != null) {
            letIn.delete(orderId);
        }
    }
}

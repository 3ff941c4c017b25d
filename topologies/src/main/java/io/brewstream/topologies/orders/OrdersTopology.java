package io.brewstream.topologies.orders;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.runtime.DomainTopology;

/**
 * Orders: commands in, the order state machine over the {@link OrderStores#ORDERS} store, every transition out
 * as an event, and the current order out on the compacted orders topic.
 */
public final class OrdersTopology implements DomainTopology {
    private final OrdersSettings settings;

    public OrdersTopology(OrdersSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "orders";
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        Serde<Order> orderSerde = Topics.ORDERS.valueSerde(serdes);
        Serde<OrderEvent> eventSerde = Topics.ORDER_EVENTS.valueSerde(serdes);

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OrderStores.ORDERS), Topics.ORDERS.keySerde(), orderSerde));

        OrderStateMachine stateMachine = new OrderStateMachine(settings, new PickupCodes());
        KStream<String, OrderEvent> events = builder
                .stream(Topics.ORDER_COMMANDS.name(),
                        Consumed.with(Topics.ORDER_COMMANDS.keySerde(), Topics.ORDER_COMMANDS.valueSerde(serdes)))
                .process(() -> new OrderCommandProcessor(stateMachine), Named.as("apply-order-command"),
                        OrderStores.ORDERS);

        events.to(Topics.ORDER_EVENTS.name(), Produced.with(Topics.ORDER_EVENTS.keySerde(), eventSerde));
        events.filter((orderId, event) -> event.getOrder() != null, Named.as("with-order"))
                .mapValues(OrderEvent::getOrder, Named.as("current-order"))
                .to(Topics.ORDERS.name(), Produced.with(Topics.ORDERS.keySerde(), orderSerde));
    }
}

package io.brewstream.topologies.orders;

import java.time.Duration;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.payments.Refund;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.TypedStreams;

/**
 * Orders: commands, check results and payments in (all keyed by order id, co-partitioned); the order life
 * cycle over the {@link OrderStores#ORDERS} store; every outcome out as an event, the current order out on the
 * compacted orders topic, refunds out on their topic.
 */
public final class OrdersTopology implements DomainTopology {
    private static final Duration CLOCK_INTERVAL = Duration.ofSeconds(1);
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
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OrderStores.ORDERS), Serdes.String(), orderSerde).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OrderStores.OPEN_ORDERS_BY_SHOP), Serdes.String(), orderSerde).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OrderStores.DEADLINES), Serdes.String(), Serdes.String()).withCachingEnabled());

        OrderLifecycle lifecycle = new OrderLifecycle(settings, new PickupCodes());
        KStream<String, SpecificRecord> inputs = TypedStreams.read(builder, serdes, Topics.ORDER_COMMANDS)
                .merge(TypedStreams.read(builder, serdes, Topics.ORDER_VALIDATIONS), Named.as("with-validations"))
                .merge(TypedStreams.read(builder, serdes, Topics.PAYMENTS), Named.as("with-payments"));
        KStream<String, SpecificRecord> outputs = inputs.process(() -> new OrderProcessor(lifecycle, CLOCK_INTERVAL),
                Named.as("order-lifecycle"), OrderStores.ORDERS, OrderStores.OPEN_ORDERS_BY_SHOP, OrderStores.DEADLINES);

        TypedStreams.write(outputs, serdes, Topics.ORDER_EVENTS, OrderEvent.class);
        TypedStreams.write(outputs, serdes, Topics.ORDERS, Order.class);
        TypedStreams.write(outputs, serdes, Topics.REFUNDS, Refund.class);
    }

}

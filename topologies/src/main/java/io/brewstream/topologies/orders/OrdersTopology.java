package io.brewstream.topologies.orders;

import java.time.Duration;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.payments.Refund;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.runtime.DomainTopology;

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
                Stores.persistentKeyValueStore(OrderStores.ORDERS), Serdes.String(), orderSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OrderStores.OPEN_ORDERS_BY_SHOP), Serdes.String(), orderSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OrderStores.DEADLINES), Serdes.String(), Serdes.String()));

        OrderLifecycle lifecycle = new OrderLifecycle(settings, new PickupCodes());
        KStream<String, SpecificRecord> inputs = input(builder, serdes, Topics.ORDER_COMMANDS)
                .merge(input(builder, serdes, Topics.ORDER_VALIDATIONS), Named.as("with-validations"))
                .merge(input(builder, serdes, Topics.PAYMENTS), Named.as("with-payments"));
        KStream<String, SpecificRecord> outputs = inputs.process(() -> new OrderProcessor(lifecycle, CLOCK_INTERVAL),
                Named.as("order-lifecycle"), OrderStores.ORDERS, OrderStores.OPEN_ORDERS_BY_SHOP, OrderStores.DEADLINES);

        output(outputs, serdes, Topics.ORDER_EVENTS, OrderEvent.class);
        output(outputs, serdes, Topics.ORDERS, Order.class);
        output(outputs, serdes, Topics.REFUNDS, Refund.class);
    }

    private static <V extends SpecificRecord> KStream<String, SpecificRecord> input(StreamsBuilder builder,
            AvroSerdes serdes, Topic<V> topic) {
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde(serdes))
                        .withName("read-" + topic.name()))
                .mapValues(value -> (SpecificRecord) value, Named.as("as-input-" + topic.name()));
    }

    private static <V extends SpecificRecord> void output(KStream<String, SpecificRecord> outputs, AvroSerdes serdes,
            Topic<V> topic, Class<V> type) {
        outputs.filter((key, value) -> type.isInstance(value), Named.as("only-" + topic.name()))
                .mapValues(type::cast, Named.as("as-" + topic.name()))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde(serdes)).withName("write-" + topic.name()));
    }
}

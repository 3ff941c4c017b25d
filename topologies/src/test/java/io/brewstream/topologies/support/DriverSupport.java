package io.brewstream.topologies.support;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.topologies.runtime.DomainTopology;

/** A TopologyTestDriver for one domain topology, with topics typed by the registry. */
public final class DriverSupport implements AutoCloseable {
    public final TopologyTestDriver driver;
    private final AvroSerdes serdes;

    public DriverSupport(DomainTopology topology, AvroSerdes serdes, Path stateDir, Instant start) {
        this(topology, serdes, stateDir, start, java.util.Map.of());
    }

    /** With settings of the test's own over the topology's (e.g. no record caches, to see what a store holds). */
    public DriverSupport(DomainTopology topology, AvroSerdes serdes, Path stateDir, Instant start,
            java.util.Map<String, Object> config) {
        this.serdes = serdes;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, EmbeddedInfrastructure.uniqueName(topology.name() + "-ttd"));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.putAll(topology.configOverrides());
        props.putAll(config);
        driver = new TopologyTestDriver(topology.build(serdes, props), props, start);
    }

    public <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde(serdes).serializer());
    }

    public <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde(serdes).deserializer());
    }

    /** Pipes the records of a reference topic, keyed as the topic says. */
    public <V extends SpecificRecord> void seed(Topic<V> topic, List<V> records, java.util.function.Function<V, String> key) {
        TestInputTopic<String, V> in = input(topic);
        records.forEach(r -> in.pipeInput(key.apply(r), r));
    }

    /** An order of one line at a shop, in the given status. */
    public static Order order(String orderId, String shopId, OrderStatus status, String menuItemId, int quantity,
            ItemSize size, List<String> options) {
        return Order.newBuilder().setOrderId(orderId).setShopId(shopId).setCustomerId("cust-1")
                .setLines(List.of(OrderLine.newBuilder().setMenuItemId(menuItemId).setQuantity(quantity).setSize(size)
                        .setOptions(options).build()))
                .setStatus(status).setPlacedAt(OrderFixtures.T0).setUpdatedAt(OrderFixtures.T0).setVersion(1).build();
    }

    /** The event of an order's move from one status to another (from null: just placed). */
    public static OrderEvent transition(Order order, OrderStatus from) {
        return OrderEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOrderId(order.getOrderId())
                .setShopId(order.getShopId()).setFromStatus(from).setToStatus(order.getStatus()).setOrder(order)
                .setKind(OrderEventKind.TRANSITION).setOccurredAt(OrderFixtures.T0).build();
    }

    @Override
    public void close() {
        driver.close();
    }
}

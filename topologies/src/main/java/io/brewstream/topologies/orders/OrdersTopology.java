package io.brewstream.topologies.orders;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.inventory.LowStock;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.payments.Refund;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.inventory.InventorySettings;
import io.brewstream.topologies.inventory.InventoryStores;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.TypedStreams;

/**
 * The order path, one task per shop partition. Everything about a shop comes to the task of its partition: order
 * commands, check results and payments (keyed by order id, partitioned by its shop) and stock deliveries
 * (re-keyed by shop). A new order is priced and its stock reserved in the step that places it, from the task's
 * own state; the life cycle runs over the {@link OrderStores#ORDERS} store; every outcome goes out as an event
 * carrying the order as it now is, refunds, stock levels and low-stock alerts to their topics.
 */
public final class OrdersTopology implements DomainTopology {
    private static final Duration CLOCK_INTERVAL = Duration.ofSeconds(1);
    private final OrdersSettings settings;
    private final InventorySettings inventory;

    public OrdersTopology(OrdersSettings settings, InventorySettings inventory) {
        this.settings = settings;
        this.inventory = inventory;
    }

    /** With the default stock thresholds. */
    public OrdersTopology(OrdersSettings settings) {
        this(settings, InventorySettings.defaults());
    }

    @Override
    public String name() {
        return "orders";
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        // what a new order is priced from (global: every task reads all of it)
        ReferenceTables.addShops(builder, serdes);
        ReferenceTables.addMenuItems(builder, serdes);
        ReferenceTables.addCurrentPrices(builder, serdes);
        // the task's orders with their indexes, and its shops' stock (with the recipes it is reserved by)
        Serde<Order> orderSerde = serdes.valueSerde(Order.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OrderStores.ORDERS), Serdes.String(), orderSerde).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OrderStores.OPEN_ORDERS_BY_SHOP), Serdes.String(), orderSerde).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OrderStores.DEADLINES), Serdes.String(), Serdes.String()).withCachingEnabled());
        InventoryStores.addTo(builder, serdes);

        // deliveries are keyed by delivery id: re-keyed by shop, into the partition of the shop's orders
        KStream<String, SpecificRecord> deliveries = builder
                .stream(Topics.STOCK_DELIVERIES.name(), Consumed.with(Topics.STOCK_DELIVERIES.keySerde(),
                        Topics.STOCK_DELIVERIES.valueSerde(serdes)).withName("read-deliveries"))
                .filter((id, delivery) -> delivery != null, Named.as("not-deleted"))
                .selectKey((id, delivery) -> delivery.getShopId(), Named.as("delivery-by-shop"))
                .repartition(Repartitioned.with(Serdes.String(), Topics.STOCK_DELIVERIES.valueSerde(serdes))
                        .withName("deliveries-by-shop").withNumberOfPartitions(Topics.ORDER_COMMANDS.partitions()))
                .mapValues(delivery -> (SpecificRecord) delivery, Named.as("delivery-as-input"));

        // every input of a shop, in one step each: place (priced, reserved), check results, payments, deliveries
        OrderLifecycle lifecycle = new OrderLifecycle(settings, new PickupCodes());
        KStream<String, SpecificRecord> inputs = TypedStreams.read(builder, serdes, Topics.ORDER_COMMANDS)
                .merge(TypedStreams.read(builder, serdes, Topics.ORDER_VALIDATIONS), Named.as("with-validations"))
                .merge(TypedStreams.read(builder, serdes, Topics.PAYMENTS), Named.as("with-payments"))
                .merge(deliveries, Named.as("with-deliveries"));
        String[] stores = Stream.concat(Stream.of(OrderStores.ORDERS, OrderStores.OPEN_ORDERS_BY_SHOP, OrderStores.DEADLINES),
                Arrays.stream(InventoryStores.names())).toArray(String[]::new);
        KStream<String, SpecificRecord> outputs = inputs.process(
                () -> new OrderProcessor(lifecycle, inventory, CLOCK_INTERVAL), Named.as("order-lifecycle"), stores);

        TypedStreams.write(outputs, serdes, Topics.ORDER_EVENTS, OrderEvent.class);
        TypedStreams.write(outputs, serdes, Topics.REFUNDS, Refund.class);
        TypedStreams.write(outputs, serdes, Topics.STOCK_LEVELS, StockLevel.class);
        TypedStreams.write(outputs, serdes, Topics.LOW_STOCK, LowStock.class);
    }
}

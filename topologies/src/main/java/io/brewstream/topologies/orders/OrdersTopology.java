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
import io.brewstream.schemas.fraud.CustomerRisk;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.topologies.fraud.FraudProfiles;
import io.brewstream.topologies.fraud.FraudRules;
import io.brewstream.topologies.fraud.FraudSettings;
import io.brewstream.topologies.inventory.InventorySettings;
import io.brewstream.topologies.inventory.InventoryStores;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.TypedStreams;

/**
 * The order path, one task per shop partition. Everything about a shop comes to the task of its partition: order
 * commands, check results and payments (keyed by order id, partitioned by its shop) and stock deliveries
 * (keyed by delivery id, partitioned by the shop they name). A new order is priced and its stock reserved in the step that places it, from the task's
 * own state; the life cycle runs over the {@link OrderStores#ORDERS} store; every outcome goes out as an event
 * carrying the order as it now is, refunds, stock levels and low-stock alerts to their topics.
 */
public final class OrdersTopology implements DomainTopology {
    private static final Duration CLOCK_INTERVAL = Duration.ofSeconds(1);
    private final OrdersSettings settings;
    private final InventorySettings inventory;
    /** The fraud rules when fraud is scored in the orders task; null when the fraud topology does it (strict mode). */
    private final FraudSettings fraudInTask;

    /**
     * @param fraudInTask the fraud settings to score orders with in the task, or null to leave the FRAUD check to
     *                    the fraud topology (strict mode)
     */
    public OrdersTopology(OrdersSettings settings, InventorySettings inventory, FraudSettings fraudInTask) {
        this.settings = settings;
        this.inventory = inventory;
        this.fraudInTask = fraudInTask;
    }

    /** With the default stock thresholds; the FRAUD check comes from the fraud topology. */
    public OrdersTopology(OrdersSettings settings) {
        this(settings, InventorySettings.defaults(), null);
    }

    /** Whether this topology scores fraud itself (and holds the fraud stores the read API serves). */
    public boolean scoresFraud() {
        return fraudInTask != null;
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

        // deliveries, keyed by delivery id, are written to the partition of their shop's orders (the topic is
        // partitioned by the shop its values name): read here directly, with no repartition in between, so a task
        // takes a delivery and the orders placed after it in the order of their timestamps
        KStream<String, SpecificRecord> deliveries = builder
                .stream(Topics.STOCK_DELIVERIES.name(), Consumed.with(Topics.STOCK_DELIVERIES.keySerde(),
                        Topics.STOCK_DELIVERIES.valueSerde(serdes)).withName("read-deliveries"))
                .filter((id, delivery) -> delivery != null, Named.as("not-deleted"))
                .mapValues(delivery -> (SpecificRecord) delivery, Named.as("delivery-as-input"));

        // every input of a shop, in one step each: place (priced, reserved, scored), check results, payments,
        // deliveries
        OrderLifecycle lifecycle = new OrderLifecycle(settings, new PickupCodes());
        KStream<String, SpecificRecord> inputs = TypedStreams.read(builder, serdes, Topics.ORDER_COMMANDS)
                .merge(TypedStreams.read(builder, serdes, Topics.ORDER_VALIDATIONS), Named.as("with-validations"))
                .merge(TypedStreams.read(builder, serdes, Topics.PAYMENTS), Named.as("with-payments"))
                .merge(deliveries, Named.as("with-deliveries"));
        Stream<String> stores = Stream.concat(Stream.of(OrderStores.ORDERS, OrderStores.OPEN_ORDERS_BY_SHOP, OrderStores.DEADLINES),
                Arrays.stream(InventoryStores.names()));
        FraudRules fraudRules = null;
        if (fraudInTask != null) {
            // fraud in the task: the customers' and deny-listed values (global), every partition's customer shares
            // folded into customer, device and IP profiles (global, from fraud.activity), this task's own shares
            fraudRules = new FraudRules(fraudInTask);
            ReferenceTables.addCustomers(builder, serdes);
            ReferenceTables.addDenyList(builder, serdes);
            FraudProfiles.addTo(builder, serdes, fraudRules);
            stores = Stream.concat(stores, Arrays.stream(FraudProfiles.taskStores()));
            // chargebacks are keyed by customer: re-keyed by their order, into the partition of its shop, where the
            // customer's share of that partition counts them
            KStream<String, SpecificRecord> chargebacks = builder
                    .stream(Topics.CHARGEBACKS.name(), Consumed.with(Topics.CHARGEBACKS.keySerde(),
                            Topics.CHARGEBACKS.valueSerde(serdes)).withName("read-chargebacks"))
                    .filter((customerId, chargeback) -> chargeback != null, Named.as("chargeback-not-deleted"))
                    .selectKey((customerId, chargeback) -> chargeback.getOrderId(), Named.as("chargeback-by-order"))
                    .repartition(Repartitioned.with(Serdes.String(), Topics.CHARGEBACKS.valueSerde(serdes))
                            .withName("chargebacks-by-shop").withNumberOfPartitions(Topics.ORDER_COMMANDS.partitions())
                            .withStreamPartitioner(TypedStreams.partitioner(Topics.ORDER_COMMANDS)))
                    .mapValues(chargeback -> (SpecificRecord) chargeback, Named.as("chargeback-as-input"));
            inputs = inputs.merge(chargebacks, Named.as("with-chargebacks"));
        }
        FraudRules rules = fraudRules;
        KStream<String, SpecificRecord> outputs = inputs.process(
                () -> new OrderProcessor(lifecycle, inventory, rules, CLOCK_INTERVAL), Named.as("order-lifecycle"),
                stores.toArray(String[]::new));

        TypedStreams.write(outputs, serdes, Topics.ORDER_EVENTS, OrderEvent.class);
        TypedStreams.write(outputs, serdes, Topics.REFUNDS, Refund.class);
        TypedStreams.write(outputs, serdes, Topics.STOCK_LEVELS, StockLevel.class);
        TypedStreams.write(outputs, serdes, Topics.LOW_STOCK, LowStock.class);
        if (fraudInTask != null) {
            TypedStreams.write(outputs, serdes, Topics.FRAUD_SCORES, FraudScore.class);
            TypedStreams.write(outputs, serdes, Topics.FRAUD_ACTIVITY, CustomerRisk.class);
            outputs.filter((orderId, value) -> value instanceof FraudScore score && FraudRules.alerted(score),
                            Named.as("high-and-critical"))
                    .mapValues(value -> (FraudScore) value, Named.as("as-alert"))
                    .to(Topics.FRAUD_ALERTS.name(), TypedStreams.produced(Topics.FRAUD_ALERTS, serdes, "write-fraud-alerts"));
        }
    }
}

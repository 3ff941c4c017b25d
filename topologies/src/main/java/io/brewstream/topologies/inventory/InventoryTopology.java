package io.brewstream.topologies.inventory;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.inventory.LowStock;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.inventory.StockReservation;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.TypedStreams;

/**
 * Inventory: order transitions and deliveries, re-keyed by shop, kept against each shop's stock; posts the
 * INVENTORY check result and publishes stock levels, reservations and low-stock events.
 */
public final class InventoryTopology implements DomainTopology {
    private final InventorySettings settings;

    public InventoryTopology(InventorySettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "inventory";
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        ReferenceTables.addRecipes(builder, serdes);
        ReferenceTables.addShops(builder, serdes);
        ReferenceTables.addAllStockLevels(builder, serdes);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(InventoryStores.STOCK),
                Serdes.String(), Topics.STOCK_LEVELS.valueSerde(serdes)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(InventoryStores.RESERVATIONS),
                Serdes.String(), Topics.STOCK_RESERVATIONS.valueSerde(serdes)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(InventoryStores.DELIVERIES_SEEN),
                Serdes.String(), Serdes.Long()).withCachingEnabled());

        KStream<String, SpecificRecord> orderTransitions = builder
                .stream(Topics.ORDER_EVENTS.name(), Consumed.with(Topics.ORDER_EVENTS.keySerde(),
                        Topics.ORDER_EVENTS.valueSerde(serdes)).withName("read-order-events"))
                .filter((orderId, event) -> event.getKind() == OrderEventKind.TRANSITION && event.getShopId() != null,
                        Named.as("order-transitions"))
                // order events are partitioned by shop: all of a shop's events are in this task
                .mapValues(event -> (SpecificRecord) event, Named.as("order-event-as-input"));
        KStream<String, SpecificRecord> deliveries = builder
                .stream(Topics.STOCK_DELIVERIES.name(), Consumed.with(Topics.STOCK_DELIVERIES.keySerde(),
                        Topics.STOCK_DELIVERIES.valueSerde(serdes)).withName("read-deliveries"))
                .filter((id, delivery) -> delivery != null, Named.as("not-deleted"))
                // into the partition of the shop's order events, where its stock store is
                .selectKey((id, delivery) -> delivery.getShopId(), Named.as("delivery-by-shop"))
                .repartition(Repartitioned.with(Serdes.String(), Topics.STOCK_DELIVERIES.valueSerde(serdes))
                        .withName("deliveries-by-shop").withNumberOfPartitions(Topics.ORDER_EVENTS.partitions()))
                .mapValues(delivery -> (SpecificRecord) delivery, Named.as("delivery-as-input"));

        KStream<String, SpecificRecord> outputs = orderTransitions.merge(deliveries, Named.as("orders-and-deliveries"))
                .process(() -> new StockKeeper(settings), Named.as("keep-stock"),
                        InventoryStores.STOCK, InventoryStores.RESERVATIONS, InventoryStores.DELIVERIES_SEEN);

        TypedStreams.write(outputs, serdes, Topics.ORDER_VALIDATIONS, ValidationResult.class);
        TypedStreams.write(outputs, serdes, Topics.STOCK_LEVELS, StockLevel.class);
        TypedStreams.write(outputs, serdes, Topics.STOCK_RESERVATIONS, StockReservation.class);
        TypedStreams.write(outputs, serdes, Topics.LOW_STOCK, LowStock.class);
    }

}

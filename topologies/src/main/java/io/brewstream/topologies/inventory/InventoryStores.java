package io.brewstream.topologies.inventory;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.inventory.StockReservation;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.topologies.reference.ReferenceTables;

/**
 * The stock's state stores, kept in the orders task of each shop's partition (interactive queries read them), and
 * the reference data {@link StockKeeper} reads.
 */
public final class InventoryStores {
    /** Stock per shop and ingredient: key {@code shopId:ingredientId}; a shop's stock is a prefix scan. */
    public static final String STOCK = "stock";
    /** The reservations held for open orders, by order id; settled ones are deleted. */
    public static final String RESERVATIONS = "reservations";
    /** Deliveries already added, by delivery id, so a redelivered one is not counted twice. */
    static final String DELIVERIES_SEEN = "deliveries-seen";

    private InventoryStores() {
    }

    /** Adds the stock's stores and the recipes and every shop's published stock levels as global stores. */
    public static void addTo(StreamsBuilder builder, AvroSerdes serdes) {
        ReferenceTables.addRecipes(builder, serdes);
        ReferenceTables.addAllStockLevels(builder, serdes);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STOCK),
                Serdes.String(), serdes.valueSerde(StockLevel.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RESERVATIONS),
                Serdes.String(), serdes.valueSerde(StockReservation.class)).withCachingEnabled());
        // delivery ids by the delivery's time: old ones leave a segment at a time (StockKeeper.deliver); deliveries
        // are few, so no record cache
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(DELIVERIES_SEEN,
                StockKeeper.DELIVERY_ID_RETENTION, Duration.ofMillis(1), false), Serdes.String(), Serdes.Long())
                .withCachingDisabled());
    }

    /** The stores {@link StockKeeper} works on, for a processor to connect. */
    public static String[] names() {
        return new String[] {STOCK, RESERVATIONS, DELIVERIES_SEEN};
    }
}

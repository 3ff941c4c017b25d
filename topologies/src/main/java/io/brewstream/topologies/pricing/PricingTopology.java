package io.brewstream.topologies.pricing;

import java.util.List;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.pricing.PricingSignal;
import io.brewstream.schemas.pricing.PricingSignalKind;
import io.brewstream.schemas.pricing.PricingState;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.TypedStreams;

/**
 * Pricing: moves each item's price per shop with demand, stock and happy hours, publishing every change on the
 * compacted price topic and keeping its history. Orders are priced from those prices by the orders task itself
 * ({@link OrderPricing}), in the step that places them.
 */
public final class PricingTopology implements DomainTopology {
    /** Partitions of the signal repartition topic; all signals of one shop and item meet in one task. */
    static final int SIGNAL_PARTITIONS = 3;
    private final PricingSettings settings;

    public PricingTopology(PricingSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "pricing";
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        ReferenceTables.addShops(builder, serdes);
        ReferenceTables.addMenuItems(builder, serdes);
        ReferenceTables.addRecipes(builder, serdes);
        Serde<PricingSignal> signalSerde = serdes.valueSerde(PricingSignal.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PricingStores.PRICES),
                Serdes.String(), serdes.valueSerde(PricingState.class)).withCachingEnabled());
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(PricingStores.PRICE_HISTORY,
                PricingStores.HISTORY_RETENTION, java.time.Duration.ofMillis(1), true), Serdes.String(),
                Topics.PRICE_CHANGES.valueSerde(serdes)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PricingStores.STOCK_PERCENT_SIGNALLED),
                Serdes.String(), Serdes.Integer()).withCachingEnabled());

        // demand: every order taken (placed, or validated at once), priced already in the orders task
        KStream<String, OrderEvent> placed = builder
                .stream(Topics.ORDER_EVENTS.name(),
                        Consumed.with(Topics.ORDER_EVENTS.keySerde(), Topics.ORDER_EVENTS.valueSerde(serdes))
                                .withName("read-order-events"))
                .filter((orderId, event) -> event.getKind() == OrderEventKind.TRANSITION && event.getFromStatus() == null
                        && (event.getToStatus() == OrderStatus.PLACED || event.getToStatus() == OrderStatus.VALIDATED),
                        Named.as("newly-taken"));

        KStream<String, PricingSignal> demand = placed.flatMap((orderId, event) -> demandSignals(event.getOrder()),
                Named.as("demand-signals"));
        KStream<String, PricingSignal> stock = builder
                .stream(Topics.STOCK_LEVELS.name(), Consumed.with(Topics.STOCK_LEVELS.keySerde(),
                        Topics.STOCK_LEVELS.valueSerde(serdes)).withName("read-stock-levels"))
                .process(() -> new StockSignals(settings), Named.as("stock-signals"), PricingStores.STOCK_PERCENT_SIGNALLED);

        demand.merge(stock, Named.as("all-signals"))
                .repartition(Repartitioned.with(Serdes.String(), signalSerde).withName("pricing-signals")
                        .withNumberOfPartitions(SIGNAL_PARTITIONS))
                .process(() -> new DynamicPricer(settings), Named.as("reprice"),
                        PricingStores.PRICES, PricingStores.PRICE_HISTORY)
                .to(Topics.PRICE_CHANGES.name(), TypedStreams.produced(Topics.PRICE_CHANGES, serdes, "write-price-changes"));
    }

    private static List<KeyValue<String, PricingSignal>> demandSignals(Order order) {
        return order.getLines().stream().map(line -> KeyValue.pair(
                Keys.shopItem(order.getShopId(), line.getMenuItemId()),
                PricingSignal.newBuilder().setShopId(order.getShopId()).setMenuItemId(line.getMenuItemId())
                        .setKind(PricingSignalKind.DEMAND).setQuantity(line.getQuantity())
                        .setAt(order.getPlacedAt()).build())).toList();
    }
}

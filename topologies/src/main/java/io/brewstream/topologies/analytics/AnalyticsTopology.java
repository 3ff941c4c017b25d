package io.brewstream.topologies.analytics;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.analytics.ShopStats;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.runtime.DomainTopology;

/** Analytics: per shop and minute, order counts, revenue, items and preparation times, for the dashboard. */
public final class AnalyticsTopology implements DomainTopology {
    @Override
    public String name() {
        return "analytics";
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(AnalyticsStores.SHOP_STATS,
                AnalyticsStores.RETENTION, AnalyticsStores.BUCKET, false), Serdes.String(), serdes.valueSerde(ShopStats.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AnalyticsStores.PREPARATIONS),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.stream(Topics.ORDER_EVENTS.name(), Consumed.with(Topics.ORDER_EVENTS.keySerde(),
                        Topics.ORDER_EVENTS.valueSerde(serdes)).withName("read-order-events"))
                .filter((orderId, event) -> event.getKind() == OrderEventKind.TRANSITION && event.getShopId() != null,
                        Named.as("transitions"))
                // order events are partitioned by shop: all of a shop's events are in this task
                .selectKey((orderId, event) -> event.getShopId(), Named.as("by-shop"))
                .process(ShopStatsCounter::new, Named.as("count-shop-stats"), AnalyticsStores.SHOP_STATS,
                        AnalyticsStores.PREPARATIONS);
    }
}

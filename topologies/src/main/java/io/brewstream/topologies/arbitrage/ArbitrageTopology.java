package io.brewstream.topologies.arbitrage;

import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.arbitrage.VenueBook;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.TypedStreams;

/**
 * Arbitrage: order book updates in, opportunities out. Cross-venue opportunities need a pair's venues in one task,
 * so they are found on the updates as they come, keyed by pair; triangular ones need a venue's pairs in one task,
 * so they are found on the same updates re-keyed by venue. Market data may be processed at least once: an update
 * already applied changes nothing, and every time used is the update's own, so a replay yields the same events.
 */
public final class ArbitrageTopology implements DomainTopology {
    private final ArbitrageSettings settings;

    public ArbitrageTopology(ArbitrageSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "arbitrage";
    }

    /** Its own number of stream threads, where set: market data may want more than the other applications. */
    @Override
    public Map<String, Object> configOverrides() {
        return settings.streamThreads() == 0 ? Map.of()
                : Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        // the venues' taker fee tiers and withdrawal routes, from the exchanges tables by CDC: few rows, global
        ReferenceTables.addExchangeFees(builder, serdes);
        ReferenceTables.addWithdrawalFees(builder, serdes);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArbitrageStores.BOOKS),
                Serdes.String(), serdes.valueSerde(VenueBook.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArbitrageStores.OPEN),
                Serdes.String(), Topics.ARBITRAGE_OPPORTUNITIES.valueSerde(serdes)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArbitrageStores.VENUE_PAIR_BOOKS),
                Serdes.String(), serdes.valueSerde(VenueBook.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArbitrageStores.OPEN_CYCLES),
                Serdes.String(), Topics.ARBITRAGE_OPPORTUNITIES.valueSerde(serdes)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArbitrageStores.HISTORY),
                Serdes.String(), Topics.ARBITRAGE_OPPORTUNITIES.valueSerde(serdes)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArbitrageStores.HISTORY_LENGTHS),
                Serdes.String(), Serdes.Integer()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArbitrageStores.HISTORY_EXPIRY),
                Serdes.String(), Serdes.String()));

        KStream<String, BookUpdate> updates = builder.stream(Topics.BOOK_UPDATES.name(), Consumed.with(
                Topics.BOOK_UPDATES.keySerde(), Topics.BOOK_UPDATES.valueSerde(serdes)).withName("read-book-updates"));

        // cross-venue: each update applied to its venue's book, then the pair's venues looked at two by two
        KStream<String, ArbitrageOpportunity> crossVenue = updates.process(() -> new ArbitrageScanner(settings),
                Named.as("scan-venues"), ArbitrageStores.BOOKS, ArbitrageStores.OPEN);

        // triangular: the same updates by venue, each applied to the venue's book of its pair, then the cycles
        // through that pair looked at
        KStream<String, ArbitrageOpportunity> triangular = updates
                .selectKey((pair, update) -> update.getVenue(), Named.as("key-by-venue"))
                .repartition(Repartitioned.<String, BookUpdate>as("book-updates-by-venue")
                        .withKeySerde(Serdes.String()).withValueSerde(Topics.BOOK_UPDATES.valueSerde(serdes)))
                .process(() -> new TriangularScanner(settings), Named.as("scan-cycles"),
                        ArbitrageStores.VENUE_PAIR_BOOKS, ArbitrageStores.OPEN_CYCLES);

        crossVenue.merge(triangular, Named.as("all-opportunities"))
                .to(Topics.ARBITRAGE_OPPORTUNITIES.name(), TypedStreams.produced(Topics.ARBITRAGE_OPPORTUNITIES, serdes, "write-opportunities"));

        // each opportunity's events kept by id for its history read, from the topic (keyed as the reads route)
        builder.stream(Topics.ARBITRAGE_OPPORTUNITIES.name(), Consumed.with(Topics.ARBITRAGE_OPPORTUNITIES.keySerde(),
                        Topics.ARBITRAGE_OPPORTUNITIES.valueSerde(serdes)).withName("read-opportunities"))
                .process(() -> new OpportunityHistoryKeeper(settings), Named.as("keep-history"),
                        ArbitrageStores.HISTORY, ArbitrageStores.HISTORY_LENGTHS, ArbitrageStores.HISTORY_EXPIRY);
    }
}

package io.brewstream.topologies.arbitrage;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.arbitrage.VenueBook;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DomainTopology;

/**
 * Arbitrage: order book updates in, cross-venue opportunities out, keyed by pair throughout so a pair's venues
 * meet in one task. Market data may be processed at least once: an update already applied changes nothing, and
 * every time used is the update's own, so a replay yields the same events.
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

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        // the venues' fees, from the exchanges table by CDC: a few rows, a global store
        ReferenceTables.addExchangeFees(builder, serdes);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArbitrageStores.BOOKS),
                Serdes.String(), serdes.valueSerde(VenueBook.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArbitrageStores.OPEN),
                Serdes.String(), Topics.ARBITRAGE_OPPORTUNITIES.valueSerde(serdes)));

        // each update applied to its venue's book, then the pair's venues looked at two by two
        builder.stream(Topics.BOOK_UPDATES.name(), Consumed.with(Topics.BOOK_UPDATES.keySerde(),
                        Topics.BOOK_UPDATES.valueSerde(serdes)).withName("read-book-updates"))
                .process(() -> new ArbitrageScanner(settings), Named.as("scan-venues"), ArbitrageStores.BOOKS,
                        ArbitrageStores.OPEN)
                .to(Topics.ARBITRAGE_OPPORTUNITIES.name(), Produced.with(Topics.ARBITRAGE_OPPORTUNITIES.keySerde(),
                        Topics.ARBITRAGE_OPPORTUNITIES.valueSerde(serdes)).withName("write-opportunities"));
    }
}

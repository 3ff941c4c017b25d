package io.brewstream.topologies.arbitrage;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.arbitrage.VenueBook;

/**
 * A scanner's books: in a store keyed {@code group|member} (pair|venue for the cross-venue scan, venue|pair for the
 * cycles), and decoded by group in memory, loaded from the store the first time a group is seen and kept in step
 * with it (the scanner is its only writer): an update decodes nothing.
 */
final class GroupedBooks {
    private final KeyValueStore<String, VenueBook> store;
    private final Map<String, Map<String, VenueBook>> byGroup = new HashMap<>();

    GroupedBooks(KeyValueStore<String, VenueBook> store) {
        this.store = store;
    }

    /** The group's books by member, in the order of their keys. */
    Map<String, VenueBook> of(String group) {
        return byGroup.computeIfAbsent(group, g -> {
            Map<String, VenueBook> loaded = new TreeMap<>();
            String prefix = ArbitrageStores.book(g, "");
            try (KeyValueIterator<String, VenueBook> it = store.prefixScan(prefix, new StringSerializer())) {
                it.forEachRemaining(kv -> loaded.put(kv.key.substring(prefix.length()), kv.value));
            }
            return loaded;
        });
    }

    /** The member's book after the update ({@link BookRules#apply}), or null when it changed nothing (a redelivery). */
    VenueBook apply(String group, String member, BookUpdate update) {
        Map<String, VenueBook> books = of(group);
        VenueBook before = books.get(member);
        VenueBook after = BookRules.apply(before, update);
        if (after == before) {
            return null;
        }
        store.put(ArbitrageStores.book(group, member), after);
        books.put(member, after);
        return after;
    }
}

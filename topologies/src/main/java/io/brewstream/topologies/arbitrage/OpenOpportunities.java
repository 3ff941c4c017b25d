package io.brewstream.topologies.arbitrage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.topologies.runtime.OnDemandPunctuation;

/**
 * A scanner's open opportunities: in a store keyed {@code group|...} (the truth) and decoded by group in memory;
 * each step written to both and its event forwarded, keyed by its pair. The punctuation that closes what a silent
 * book holds open is scheduled only while something is open: an idle punctuation would still commit a transaction.
 */
final class OpenOpportunities {
    private final ProcessorContext<String, ArbitrageOpportunity> context;
    private final KeyValueStore<String, ArbitrageOpportunity> store;
    private final Function<ArbitrageOpportunity, String> groupOf;
    private final OnDemandPunctuation silentCheck;
    private final Map<String, Map<String, ArbitrageOpportunity>> byGroup = new HashMap<>();
    private int count;

    /** @param closeSilent run every half of {@code maxBookAge} while something is open */
    OpenOpportunities(ProcessorContext<String, ArbitrageOpportunity> context,
            KeyValueStore<String, ArbitrageOpportunity> store, Function<ArbitrageOpportunity, String> groupOf,
            Duration maxBookAge, Punctuator closeSilent) {
        this.context = context;
        this.store = store;
        this.groupOf = groupOf;
        Duration interval = maxBookAge.dividedBy(2);
        this.silentCheck = new OnDemandPunctuation(context, interval.isZero() ? Duration.ofMillis(100) : interval,
                closeSilent);
        try (KeyValueIterator<String, ArbitrageOpportunity> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                count++;
            }
        }
        silentCheck.neededWhile(count > 0);
    }

    /** The group's open opportunities, by key. */
    Map<String, ArbitrageOpportunity> of(String group) {
        return byGroup.computeIfAbsent(group, g -> {
            Map<String, ArbitrageOpportunity> loaded = new HashMap<>();
            try (KeyValueIterator<String, ArbitrageOpportunity> it = store.prefixScan(g + "|", new StringSerializer())) {
                it.forEachRemaining(kv -> loaded.put(kv.key, kv.value));
            }
            return loaded;
        });
    }

    /** Every open one (few), for the punctuation. */
    List<KeyValue<String, ArbitrageOpportunity>> all() {
        List<KeyValue<String, ArbitrageOpportunity>> all = new ArrayList<>();
        try (KeyValueIterator<String, ArbitrageOpportunity> it = store.all()) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    /** Keeps what the step leaves open under {@code key} (nothing: removed) and forwards its event, if any. */
    void save(String key, ArbitrageOpportunity before, OpportunityTracker.Step step, long timestamp) {
        if (step.open() == null) {
            if (before != null) {
                store.delete(key);
                of(groupOf.apply(before)).remove(key);
                count--;
            }
        } else if (!step.open().equals(before)) {
            if (before == null) {
                count++;
            }
            store.put(key, step.open());
            of(groupOf.apply(step.open())).put(key, step.open());
        }
        step.event().ifPresent(event -> context.forward(new Record<>(event.getPair(), event, timestamp)));
        silentCheck.neededWhile(count > 0);
    }
}

package io.brewstream.topologies.arbitrage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.OpportunityEvent;
import io.brewstream.topologies.runtime.DeadlineKeys;
import io.brewstream.topologies.runtime.OnDemandPunctuation;

/**
 * Every opportunity's events, for its history read: each event under its own key ({@code id|sequence}), so an
 * event costs one small write however long the history; past the bound the oldest UPDATED one is removed (the
 * OPENED one is kept). A closed opportunity's history is removed after the retention by a range scan of an expiry
 * index (nothing scans the whole store). An event equal to the last one kept (a redelivery) is not kept twice.
 */
final class OpportunityHistoryKeeper implements Processor<String, ArbitrageOpportunity, Void, Void> {
    private final ArbitrageSettings settings;
    private KeyValueStore<String, ArbitrageOpportunity> history;
    private KeyValueStore<String, Integer> lengths;
    private KeyValueStore<String, String> expiry;
    private OnDemandPunctuation expiryCheck;
    private int expiring;

    OpportunityHistoryKeeper(ArbitrageSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        history = context.getStateStore(ArbitrageStores.HISTORY);
        lengths = context.getStateStore(ArbitrageStores.HISTORY_LENGTHS);
        expiry = context.getStateStore(ArbitrageStores.HISTORY_EXPIRY);
        // only while a closed history waits to expire: an idle punctuation would still commit a transaction
        Duration every = settings.historyRetention().dividedBy(10);
        expiryCheck = new OnDemandPunctuation(context, every.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1)
                : every.isZero() ? Duration.ofSeconds(1) : every, this::expire);
        try (KeyValueIterator<String, String> it = expiry.all()) {
            while (it.hasNext()) {
                it.next();
                expiring++;
            }
        }
        expiryCheck.neededWhile(expiring > 0);
    }

    @Override
    public void process(Record<String, ArbitrageOpportunity> record) {
        ArbitrageOpportunity event = record.value();
        String id = event.getOpportunityId();
        Integer before = lengths.get(id);
        int length = before == null ? 0 : before;
        if (length > 0 && event.equals(history.get(ArbitrageStores.historyKey(id, length - 1)))) {
            return; // a redelivery
        }
        history.put(ArbitrageStores.historyKey(id, length), event);
        lengths.put(id, length + 1);
        int dropped = length + 1 - settings.historyEvents();
        if (dropped >= 1) {
            history.delete(ArbitrageStores.historyKey(id, dropped)); // the oldest after OPENED (number 0)
        }
        if (event.getEvent() == OpportunityEvent.CLOSED) {
            long until = event.getClosedAt().plus(settings.historyRetention()).toEpochMilli();
            expiry.put(DeadlineKeys.key(until, id), id);
            expiring++;
            expiryCheck.neededWhile(true);
        }
    }

    private void expire(long wallClock) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = expiry.range(null, DeadlineKeys.upTo(wallClock))) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> kv : due) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, ArbitrageOpportunity> it = history.prefixScan(
                    ArbitrageStores.historyPrefix(kv.value), new StringSerializer())) {
                it.forEachRemaining(e -> keys.add(e.key));
            }
            keys.forEach(history::delete);
            lengths.delete(kv.value);
            expiry.delete(kv.key);
            expiring--;
        }
        expiryCheck.neededWhile(expiring > 0);
    }
}

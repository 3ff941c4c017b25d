package io.brewstream.topologies.backoffice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.backoffice.OutboxEvent;

/**
 * Passes each outbox event on once: CDC is at-least-once, so after a connector restart an event may arrive
 * again with the same id (and, keyed by aggregate id, on the same partition). Ids are forgotten after the
 * deduplication window.
 */
final class OutboxDeduplicator implements FixedKeyProcessor<String, OutboxEvent, OutboxEvent> {
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final Duration window;
    private FixedKeyProcessorContext<String, OutboxEvent> context;
    private KeyValueStore<String, Long> seen;

    OutboxDeduplicator(Duration window) {
        this.window = window;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, OutboxEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(BackofficeStores.SEEN_EVENTS);
        context.schedule(PURGE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetOlderThanWindow);
    }

    @Override
    public void process(FixedKeyRecord<String, OutboxEvent> record) {
        OutboxEvent event = record.value();
        if (event == null || seen.get(event.getEventId()) != null) {
            return;
        }
        seen.put(event.getEventId(), context.currentSystemTimeMs());
        context.forward(record);
    }

    private void forgetOlderThanWindow(long now) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = seen.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < now - window.toMillis()) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(seen::delete);
    }
}

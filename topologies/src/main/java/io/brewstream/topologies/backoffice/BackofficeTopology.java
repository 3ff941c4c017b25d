package io.brewstream.topologies.backoffice;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.backoffice.OutboxEvent;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.TypedStreams;

/**
 * Back-office events from the operational database's outbox (one topic per aggregate type), each passed on
 * once to {@link Topics#BACKOFFICE_EVENTS} whatever the CDC connector redelivered.
 */
public final class BackofficeTopology implements DomainTopology {
    private final Duration deduplicationWindow;

    public BackofficeTopology(Duration deduplicationWindow) {
        this.deduplicationWindow = deduplicationWindow;
    }

    @Override
    public String name() {
        return "backoffice";
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        Topic<OutboxEvent> out = Topics.BACKOFFICE_EVENTS;
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BackofficeStores.SEEN_EVENTS),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        List<String> outboxTopics = Topics.outbox().stream().map(Topic::name).toList();
        builder.stream(outboxTopics, Consumed.with(out.keySerde(), out.valueSerde(serdes)).withName("read-outbox"))
                .processValues(() -> new OutboxDeduplicator(deduplicationWindow), Named.as("once-per-event-id"),
                        BackofficeStores.SEEN_EVENTS)
                .to(out.name(), TypedStreams.produced(out, serdes, "write-backoffice-events"));
    }
}

package io.brewstream.connectors.cdc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

import io.brewstream.schemas.backoffice.OutboxEvent;
import io.brewstream.schemas.common.DeadLetter;
import io.brewstream.schemas.deadletter.DeadLetters;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;

/**
 * Turns one Debezium change into the record brewstream writes: a captured row into its domain record on its
 * reference topic (a delete into a tombstone), an outbox event into an {@link OutboxEvent} on its aggregate
 * type's topic. A change that cannot be mapped becomes a dead letter with the reason; heartbeats become nothing.
 */
final class ChangeMapper {
    /** Debezium's operation: r (snapshot read), c, u, d. */
    static final String HEADER_OPERATION = "brewstream.cdc.operation";
    /** When the database committed the change, epoch milliseconds. */
    static final String HEADER_COMMITTED_AT = "brewstream.cdc.committed-at";
    static final String OUTBOX_EVENT_TYPE_HEADER = "eventType";
    static final String OUTBOX_AGGREGATE_TYPE_HEADER = "aggregateType";
    static final String OUTBOX_EVENT_ID_HEADER = "id";
    private static final String APPLICATION = "brewstream-cdc";

    private final AvroSerdes serdes;
    private final Map<Topic<?>, Serializer<?>> serializers = new HashMap<>();
    private final Serializer<DeadLetter> deadLetters;

    ChangeMapper(AvroSerdes serdes) {
        this.serdes = serdes;
        this.deadLetters = Topics.DEAD_LETTERS.valueSerde(serdes).serializer();
    }

    /** The change as the record to write, or nothing for changes that carry no data (heartbeats, truncates). */
    Optional<ProducerRecord<byte[], byte[]>> map(SourceRecord change) {
        try {
            Optional<Topic<OutboxEvent>> outbox = Topics.outboxTopic(change.topic());
            if (outbox.isPresent()) {
                return Optional.of(outboxEvent(outbox.get(), change));
            }
            if (change.topic().startsWith(Topics.OUTBOX_TOPIC_PREFIX)) {
                throw new IllegalArgumentException("no topic for outbox aggregate type "
                        + header(change, OUTBOX_AGGREGATE_TYPE_HEADER) + " (known: " + Topics.outbox() + ")");
            }
            if (!(change.value() instanceof Struct envelope) || envelope.schema().field("op") == null) {
                return Optional.empty();
            }
            return rowChange(envelope);
        } catch (RuntimeException e) {
            return Optional.of(deadLetter(change, e));
        }
    }

    private Optional<ProducerRecord<byte[], byte[]>> rowChange(Struct envelope) {
        Struct source = envelope.getStruct("source");
        String table = source.getString("table");
        Optional<CapturedTable> captured = CapturedTable.named(table);
        if (captured.isEmpty()) {
            return Optional.empty();
        }
        String op = envelope.getString("op");
        CapturedTable mapped = captured.get();
        Struct row = envelope.getStruct(op.equals("d") ? "before" : "after");
        if (row == null) {
            throw new IllegalArgumentException("a " + op + " change of " + table + " without its row");
        }
        String key = mapped.key(row);
        byte[] value = op.equals("d") ? null : serialize(mapped.topic, mapped.mapping.apply(row));
        long committedAt = source.getInt64("ts_ms");
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_OPERATION, utf8(op));
        headers.add(HEADER_COMMITTED_AT, utf8(String.valueOf(committedAt)));
        return Optional.of(new ProducerRecord<>(mapped.topic.name(), mapped.partition(row).orElse(null), null, utf8(key),
                value, headers));
    }

    private ProducerRecord<byte[], byte[]> outboxEvent(Topic<OutboxEvent> topic, SourceRecord change) {
        String eventId = header(change, OUTBOX_EVENT_ID_HEADER);
        String aggregateId = String.valueOf(change.key());
        if (eventId == null || change.value() == null) {
            throw new IllegalArgumentException("an outbox event needs an id and a payload");
        }
        long occurredAt = change.timestamp() != null ? change.timestamp() : System.currentTimeMillis();
        OutboxEvent event = OutboxEvent.newBuilder()
                .setEventId(eventId)
                .setAggregateType(String.valueOf(header(change, OUTBOX_AGGREGATE_TYPE_HEADER)))
                .setAggregateId(aggregateId)
                .setEventType(String.valueOf(header(change, OUTBOX_EVENT_TYPE_HEADER)))
                .setPayload(String.valueOf(change.value()))
                .setOccurredAt(Instant.ofEpochMilli(occurredAt))
                .build();
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_OPERATION, utf8("c"));
        headers.add(HEADER_COMMITTED_AT, utf8(String.valueOf(occurredAt)));
        return new ProducerRecord<>(topic.name(), null, null, utf8(aggregateId), serialize(topic, event), headers);
    }

    private ProducerRecord<byte[], byte[]> deadLetter(SourceRecord change, RuntimeException e) {
        DeadLetter letter = DeadLetters.envelope(APPLICATION, change.topic(), null, null,
                change.key() == null ? null : utf8(String.valueOf(change.key())),
                change.value() == null ? null : utf8(String.valueOf(change.value())),
                e.getMessage(), e, Instant.now());
        return DeadLetters.record(letter, deadLetters);
    }

    @SuppressWarnings("unchecked")
    private <V extends SpecificRecord> byte[] serialize(Topic<V> topic, Object value) {
        Serializer<V> serializer = (Serializer<V>) serializers.computeIfAbsent(topic, t -> topic.valueSerde(serdes).serializer());
        return serializer.serialize(topic.name(), topic.valueType().cast(value));
    }

    private static String header(SourceRecord change, String name) {
        Header header = change.headers().lastWithName(name);
        return header == null || header.value() == null ? null : String.valueOf(header.value());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

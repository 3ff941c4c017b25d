package io.brewstream.app.deadletters;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import io.brewstream.schemas.common.DeadLetter;
import io.brewstream.schemas.common.DeadLetterReplay;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.TopicPartitioner;
import io.brewstream.schemas.topics.Topics;

/**
 * The dead-letter topic for operators: list what failed (filtered), show one with its record decoded, and replay one
 * to the topic it was read from, once. A replay writes the record's own key and value bytes back with a header naming
 * the dead letter, and in the same transaction a {@link DeadLetterReplay} keyed by the dead letter's id: a second
 * replay of it finds that and writes nothing. All replays share one transactional id, so of two at once the later
 * fences the earlier, and it checks again after it did.
 */
public final class DeadLetterLog {
    public static final String HEADER_REPLAY_OF = "brewstream.dlq.replay-of";
    static final String TRANSACTIONAL_ID = "brewstream-dead-letter-replay";
    private final String bootstrapServers;
    private final AvroSerdes serdes;
    private final Deserializer<DeadLetter> letters;

    /** A dead letter and its place on the dead-letter topic. */
    public record Entry(String id, DeadLetter letter) {
        /** Only a record read from a topic is that topic's record; what failed elsewhere has nothing to write back. */
        public boolean replayable() {
            return letter.getSourceOffset() != null && letter.getValue() != null
                    && Topics.named(letter.getSourceTopic()).isPresent();
        }
    }

    /** What a replay did. */
    public enum Outcome { REPLAYED, ALREADY_REPLAYED, NOT_REPLAYABLE, UNKNOWN }

    public DeadLetterLog(String bootstrapServers, AvroSerdes serdes) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = serdes;
        this.letters = Topics.DEAD_LETTERS.valueSerde(serdes).deserializer();
    }

    /** The dead letters that pass the filter, oldest first per partition, up to {@code limit}. */
    public List<Entry> list(DeadLetterFilter filter, int limit) {
        List<Entry> found = new ArrayList<>();
        read(Topics.DEAD_LETTERS.name(), filter.since(), record -> {
            DeadLetter letter = letters.deserialize(record.topic(), record.value());
            if (letter != null && filter.test(letter)) {
                found.add(new Entry(record.partition() + ":" + record.offset(), letter));
            }
            return found.size() < limit;
        });
        return found;
    }

    public Optional<Entry> get(String id) {
        String[] parts = id.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a dead letter's id is partition:offset, e.g. 0:42; was " + id);
        }
        TopicPartition partition = new TopicPartition(Topics.DEAD_LETTERS.name(), Integer.parseInt(parts[0]));
        long offset = Long.parseLong(parts[1]);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            if (offset >= end) {
                return Optional.empty();
            }
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return Optional.of(new Entry(id, letters.deserialize(record.topic(), record.value())));
                    }
                    if (record.offset() > offset) {
                        return Optional.empty(); // a transaction marker or an aborted record stood there
                    }
                }
                if (consumer.position(partition) >= end) {
                    return Optional.empty();
                }
            }
            throw new IllegalStateException("dead-letters " + id + " could not be read within 30 s");
        }
    }

    /** The failed record's value as its topic's type would show it, else its bytes (base64) and why not. */
    public String decodedValue(Entry entry) {
        ByteBuffer value = entry.letter().getValue();
        if (value == null) {
            return "null";
        }
        byte[] bytes = bytes(value);
        Optional<Topic<?>> topic = Topics.named(entry.letter().getSourceTopic());
        if (topic.isPresent()) {
            try {
                Object decoded = topic.get().valueSerde(serdes).deserializer().deserialize(topic.get().name(), bytes);
                return String.valueOf(decoded);
            } catch (RuntimeException e) {
                return "base64:" + Base64.getEncoder().encodeToString(bytes) + " (not readable as "
                        + topic.get().valueType().getSimpleName() + ": " + e.getMessage() + ")";
            }
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\t') ? text
                : "base64:" + Base64.getEncoder().encodeToString(bytes);
    }

    /** Writes the dead letter's record back to its topic, unless it was replayed before. */
    public Outcome replay(String id, String replayedBy) {
        Optional<Entry> entry = get(id);
        if (entry.isEmpty()) {
            return Outcome.UNKNOWN;
        }
        if (!entry.get().replayable()) {
            return Outcome.NOT_REPLAYABLE;
        }
        DeadLetter letter = entry.get().letter();
        Serializer<DeadLetterReplay> markers = Topics.DEAD_LETTER_REPLAYS.valueSerde(serdes).serializer();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.PARTITIONER_CLASS_CONFIG, TopicPartitioner.class.getName()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions(); // fences an earlier replay still under way; its writes are aborted
            if (replayed().contains(id)) {
                return Outcome.ALREADY_REPLAYED;
            }
            producer.beginTransaction();
            RecordHeaders headers = new RecordHeaders();
            headers.add(HEADER_REPLAY_OF, (Topics.DEAD_LETTERS.name() + "/" + id).getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(letter.getSourceTopic(), null,
                    letter.getKey() == null ? null : bytes(letter.getKey()), bytes(letter.getValue()), headers));
            String markerTopic = Topics.DEAD_LETTER_REPLAYS.name();
            producer.send(new ProducerRecord<>(markerTopic, id.getBytes(StandardCharsets.UTF_8),
                    markers.serialize(markerTopic, DeadLetterReplay.newBuilder().setDeadLetterId(id)
                            .setSourceTopic(letter.getSourceTopic()).setReason(letter.getReason())
                            .setReplayedBy(replayedBy).setReplayedAt(Instant.now()).build())));
            producer.commitTransaction();
            return Outcome.REPLAYED;
        } catch (ProducerFencedException e) {
            throw new IllegalStateException("another replay started while this one ran; nothing of this one was"
                    + " written (list again to see what that one did)", e);
        }
    }

    /** The ids of the dead letters replayed so far (the compacted replay topic, read whole). */
    public Set<String> replayed() {
        Set<String> ids = new HashSet<>();
        read(Topics.DEAD_LETTER_REPLAYS.name(), Optional.empty(), record -> {
            if (record.key() != null) {
                ids.add(new String(record.key(), StandardCharsets.UTF_8));
            }
            return true;
        });
        return ids;
    }

    private interface Visitor {
        /** @return whether to go on */
        boolean visit(ConsumerRecord<byte[], byte[]> record);
    }

    /** Reads a topic from {@code since} (else its start) up to where it ended when the read began. */
    private void read(String topic, Optional<Instant> since, Visitor visitor) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            if (since.isPresent()) {
                Map<TopicPartition, Long> at = new HashMap<>();
                partitions.forEach(p -> at.put(p, since.get().toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(at);
                for (TopicPartition p : partitions) {
                    OffsetAndTimestamp o = offsets.get(p);
                    consumer.seek(p, o == null ? end.get(p) : o.offset());
                }
            } else {
                consumer.seekToBeginning(partitions);
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " could not be read to its end within 5 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                            && !visitor.visit(record)) {
                        return;
                    }
                }
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "brewstream-dead-letters-" + UUID.randomUUID()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}

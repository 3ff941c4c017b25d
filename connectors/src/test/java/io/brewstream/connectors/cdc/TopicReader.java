package io.brewstream.connectors.cdc;

import org.awaitility.Awaitility;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.brewstream.schemas.topics.Topic;

/** Reads topics (committed records only) from a position on, keeping what it read, and waits for records. */
final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();

    private TopicReader(String bootstrapServers, List<Topic<?>> topics, boolean fromEnd) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?> topic : topics) {
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
        }
        consumer.assign(partitions);
        if (fromEnd) {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        } else {
            consumer.seekToBeginning(partitions);
        }
    }

    static TopicReader fromBeginning(String bootstrapServers, List<Topic<?>> topics) {
        return new TopicReader(bootstrapServers, topics, false);
    }

    static TopicReader fromNow(String bootstrapServers, List<Topic<?>> topics) {
        return new TopicReader(bootstrapServers, topics, true);
    }

    /** Waits for the first record of the topic and key that matches. */
    ConsumerRecord<byte[], byte[]> await(Topic<?> topic, String key, Predicate<ConsumerRecord<byte[], byte[]>> matching) {
        Predicate<ConsumerRecord<byte[], byte[]>> wanted = r -> r.topic().equals(topic.name())
                && key.equals(key(r)) && matching.test(r);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll();
            return read.stream().anyMatch(wanted);
        });
        return read.stream().filter(wanted).findFirst().orElseThrow();
    }

    /** Everything committed to the topics up to now: reads until it reaches their ends as they are at the call. */
    List<ConsumerRecord<byte[], byte[]>> readToTheEndAsOfNow() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment()); // read_committed: the stable ends
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll();
            return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
        });
        return List.copyOf(read);
    }

    List<ConsumerRecord<byte[], byte[]>> read() {
        poll();
        return List.copyOf(read);
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(read::add);
    }

    static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    static Optional<String> header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    static Predicate<ConsumerRecord<byte[], byte[]>> operation(String op) {
        return r -> header(r, ChangeMapper.HEADER_OPERATION).orElse("").equals(op);
    }

    @Override
    public void close() {
        consumer.close();
    }
}

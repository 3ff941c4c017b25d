package io.brewstream.connectors.agents;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;

/**
 * A topic read whole by one agent, from its beginning and then as it grows, every partition (no group): the staff
 * chats a notifier sends to, the stock levels an inventory manager learns consumption from. Each record (null for a
 * tombstone) goes to {@code onRecord} on the view's own thread, with the record's timestamp.
 */
final class TopicView<V extends SpecificRecord> implements TopicAgent.View {
    private static final Logger log = LoggerFactory.getLogger(TopicView.class);
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    /** Whether it has read what the topic held when it started (the view is whole). */
    private volatile boolean caughtUp;

    /** Receives a record of the view: key, value (null: a tombstone) and the record's timestamp. */
    interface Sink<V> {
        void accept(String key, V value, long timestamp);
    }

    TopicView(String bootstrapServers, AvroSerdes serdes, Topic<V> topic, Sink<V> onRecord) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "view-" + topic.name() + "-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        Deserializer<V> values = topic.valueSerde(serdes).deserializer();
        this.thread = new Thread(() -> {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        V value = record.value() == null ? null : values.deserialize(record.topic(), record.value());
                        onRecord.accept(record.key(), value, record.timestamp());
                    }
                    if (!caughtUp && partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
                        caughtUp = true;
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException stopping) {
                // closed
            } catch (RuntimeException e) {
                log.error("the view of {} stopped", topic.name(), e);
            }
        }, "view-" + topic.name());
        thread.setDaemon(true);
    }

    /** Whether it has read everything the topic held when the view started. */
    @Override
    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public TopicView<V> start() {
        thread.start();
        return this;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
        consumer.close(Duration.ofSeconds(5));
    }
}

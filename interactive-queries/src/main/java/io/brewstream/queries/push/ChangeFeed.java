package io.brewstream.queries.push;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;

/**
 * Follows topics from their end (committed records only) and hands each new record to the subscribers whose
 * filter it passes. Every instance runs one and sees every partition, so a dashboard connected to any
 * instance gets every change.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

    /** A subscriber: the topic it follows, which records it wants, and where they go. */
    private record Subscription(String topic, Predicate<Object> filter, Consumer<Object> sink) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Deserializer<? extends SpecificRecord>> deserializers;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ChangeFeed(String bootstrapServers, AvroSerdes serdes, List<Topic<?>> topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "brewstream-change-feed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        deserializers = new java.util.HashMap<>();
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?> topic : topics) {
            deserializers.put(topic.name(), topic.valueSerde(serdes).deserializer());
            consumer.partitionsFor(topic.name(), Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start before anyone subscribes
        thread = new Thread(this::run, "change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /** Registers a subscriber; the returned handle removes it. */
    @SuppressWarnings("unchecked")
    public <V extends SpecificRecord> AutoCloseable subscribe(Topic<V> topic, Predicate<V> filter, Consumer<V> sink) {
        Subscription subscription = new Subscription(topic.name(), value -> filter.test((V) value), value -> sink.accept((V) value));
        subscriptions.add(subscription);
        return () -> subscriptions.remove(subscription);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null || subscriptions.isEmpty()) {
                        continue;
                    }
                    Object value;
                    try {
                        value = deserializers.get(record.topic()).deserialize(record.topic(), record.value());
                    } catch (RuntimeException e) {
                        log.warn("change feed skips an unreadable record on {}: {}", record.topic(), e.toString());
                        continue;
                    }
                    for (Subscription s : subscriptions) {
                        if (s.topic().equals(record.topic()) && s.filter().test(value)) {
                            try {
                                s.sink().accept(value);
                            } catch (RuntimeException e) {
                                log.debug("a subscriber failed; it is removed", e);
                                subscriptions.remove(s);
                            }
                        }
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poll
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}

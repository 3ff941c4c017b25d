package io.brewstream.app.deadletters;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.schemas.common.DeadLetter;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the dead letters as they are written, whoever wrote them (a topology, the CDC connector, the agents router):
 * {@code brewstream_dead_letters_total{source_topic, reason, application}}, the reason as a bounded label
 * ({@link DeadLetterFilter#reasonLabel}). Its consumer group is shared, so several processes split the partitions and
 * the sum over them counts each dead letter once; it starts at the end (a counter counts from its process's start).
 */
public final class DeadLetterMonitor implements AutoCloseable {
    public static final String METRIC = "brewstream.dead.letters";
    static final String GROUP = "brewstream-dead-letter-monitor";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterMonitor.class);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<DeadLetter> letters;
    private final MeterRegistry registry;
    private final Thread thread;
    private volatile boolean running = true;

    public DeadLetterMonitor(String bootstrapServers, AvroSerdes serdes, MeterRegistry registry) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, GROUP, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.letters = Topics.DEAD_LETTERS.valueSerde(serdes).deserializer();
        this.registry = registry;
        this.thread = new Thread(this::run, "dead-letter-monitor");
        thread.setDaemon(true);
    }

    public DeadLetterMonitor start() {
        consumer.subscribe(List.of(Topics.DEAD_LETTERS.name()));
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    count(record);
                }
            } catch (WakeupException closing) {
                return;
            } catch (RuntimeException e) {
                log.warn("dead-letter monitor: a poll failed; trying again", e); // a broker or registry hiccup
                pause();
            }
        }
    }

    private void count(ConsumerRecord<byte[], byte[]> record) {
        DeadLetter letter;
        try {
            letter = letters.deserialize(record.topic(), record.value());
        } catch (RuntimeException unreadable) {
            Counter.builder(METRIC).description("dead letters written, by source topic and reason")
                    .tags("source_topic", "unknown", "reason", "unreadable dead letter", "application", "unknown")
                    .register(registry).increment();
            return;
        }
        if (letter != null) {
            Counter.builder(METRIC).description("dead letters written, by source topic and reason")
                    .tags("source_topic", letter.getSourceTopic(), "reason", DeadLetterFilter.reasonLabel(letter),
                            "application", letter.getApplication())
                    .register(registry).increment();
        }
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
        consumer.close(Duration.ofSeconds(5));
    }
}

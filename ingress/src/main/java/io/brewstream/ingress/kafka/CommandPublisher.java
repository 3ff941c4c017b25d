package io.brewstream.ingress.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.platform.http.DependencyProbe;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.BrokerReachability;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.TopicPartitioner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * Writes commands to their topics with one idempotent producer (acks=all, no duplicates on retry); each write's
 * future completes on the broker's acknowledgement, so a 2xx answered then means the command is durably recorded,
 * and no server thread waits for it.
 */
public final class CommandPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandPublisher.class);

    private final Producer<String, byte[]> producer;
    private final KafkaClientMetrics metrics;
    private final AvroSerdes serdes;
    private final Map<Topic<?>, Serializer<?>> serializers = new HashMap<>();
    private final BrokerReachability reachability;
    private final DependencyProbe broker;

    public CommandPublisher(String bootstrapServers, AvroSerdes serdes, Duration ackTimeout, MeterRegistry registry) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "brewstream-ingress");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // send() runs on a server thread and waits for a topic's metadata (and for buffer space) up to max.block.ms:
        // a send that cannot even be queued within half a second (the broker was never reached) is refused with a 503
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(ackTimeout.toMillis(), MAX_BLOCK.toMillis()));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ackTimeout.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ackTimeout.toMillis() + 5);
        TopicPartitioner.setIn(config); // an order's commands and payments go to its shop's partition
        this.producer = new KafkaProducer<>(config, new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        this.serdes = serdes;
        this.metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        // asked every second, so while the broker is away a command is refused at once instead of waiting its
        // delivery timeout in the producer
        this.reachability = new BrokerReachability(bootstrapServers, PROBE_TIMEOUT);
        this.broker = new DependencyProbe("kafka", true, PROBE_INTERVAL, reachability::answers);
    }

    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX_BLOCK = Duration.ofMillis(500);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(800);

    /**
     * Writes one record without holding the caller's thread: the future completes once the broker has it, or fails
     * with a 503 problem. For routes that answer asynchronously ({@code ctx.future}), so a slow broker ties up no
     * server thread.
     */
    public <V extends SpecificRecord> java.util.concurrent.CompletableFuture<Void> publishAsync(Topic<V> topic, String key,
            V value) {
        if (broker.away()) {
            return java.util.concurrent.CompletableFuture.failedFuture(ProblemException.unavailable(
                    "the command could not be recorded now (Kafka unreachable); retry with the same Idempotency-Key", 2));
        }
        byte[] bytes;
        try {
            bytes = serializer(topic).serialize(topic.name(), value);
        } catch (RuntimeException e) {
            log.warn("could not serialize for {} (schema registry unreachable?): {}", topic, e.toString());
            return java.util.concurrent.CompletableFuture.failedFuture(ProblemException.unavailable(
                    "the command could not be recorded now (schema registry unavailable); retry with the same"
                            + " Idempotency-Key", 5));
        }
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, bytes), (metadata, error) -> {
                if (error == null) {
                    done.complete(null);
                } else {
                    log.warn("could not write to {}: {}", topic, error.toString());
                    done.completeExceptionally(ProblemException.unavailable(
                            "the command could not be recorded; retry with the same Idempotency-Key", 2));
                }
            });
        } catch (RuntimeException e) { // the producer could not even queue it (metadata unavailable within max.block.ms)
            done.completeExceptionally(ProblemException.unavailable(
                            "the command could not be recorded; retry with the same Idempotency-Key", 2));
        }
        return done;
    }

    @SuppressWarnings("unchecked")
    private synchronized <V extends SpecificRecord> Serializer<V> serializer(Topic<V> topic) {
        return (Serializer<V>) serializers.computeIfAbsent(topic, t -> topic.valueSerde(serdes).serializer());
    }

    /** /ready's view of the broker ("kafka"): essential, as no command can be recorded without it. */
    public ReadinessCheck brokerCheck() {
        return broker;
    }

    @Override
    public void close() {
        broker.close();
        reachability.close();
        metrics.close();
        producer.close(Duration.ofSeconds(10));
    }
}

package io.brewstream.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The physical reference on the same broker: records of the orders' size through a plain producer-to-consumer
 * pipe, and through a one-hop exactly-once Kafka Streams topology (read, pass on, write, commit).
 */
public final class ReferencePipes {
    private final String bootstrapServers;
    private final int partitions;
    private final Path stateDir;

    public ReferencePipes(String bootstrapServers, int partitions, Path stateDir) {
        this.bootstrapServers = bootstrapServers;
        this.partitions = partitions;
        this.stateDir = stateDir;
    }

    public BenchResult rawPipe(int recordSize, long count, int ratePerSecond, Duration timeout) throws Exception {
        String topic = "bench-raw-" + UUID.randomUUID();
        createTopics(topic);
        return pump("raw producer -> consumer", topic, topic, recordSize, count, ratePerSecond, timeout);
    }

    public BenchResult exactlyOnceHop(int recordSize, long count, int ratePerSecond, Duration commitInterval,
            Duration timeout) throws Exception {
        String in = "bench-eos-in-" + UUID.randomUUID();
        String out = "bench-eos-out-" + UUID.randomUUID();
        createTopics(in, out);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-eos-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) commitInterval.toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("eos-hop").toString());
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return pump("one-hop exactly-once topology", in, out, recordSize, count, ratePerSecond, timeout);
        }
    }

    private BenchResult pump(String name, String inTopic, String outTopic, int recordSize, long count, int rate,
            Duration timeout) throws Exception {
        Measurement measurement = new Measurement(name);
        try (TopicWrites writes = new TopicWrites(bootstrapServers);
                ProcessSampler sampler = new ProcessSampler();
                KafkaConsumer<byte[], byte[]> consumer = consumer(outTopic);
                KafkaProducer<byte[], byte[]> producer = producer()) {
            Thread reader = new Thread(() -> {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (measurement.completedCount() < count && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(50)).forEach(r -> measurement.completed(ByteBuffer.wrap(r.value()).getLong()));
                }
            }, "bench-reader");
            Map<String, Long> before = writes.endOffsets();
            reader.start();
            Pacer pacer = new Pacer(rate);
            for (long i = 0; i < count; i++) {
                pacer.awaitTurn(i);
                byte[] value = new byte[recordSize];
                ByteBuffer.wrap(value).putLong(System.nanoTime());
                measurement.sent();
                producer.send(new ProducerRecord<>(inTopic, (int) (i % partitions), null, value), (meta, e) -> {
                    if (e != null) {
                        measurement.error("send failed: " + e.getClass().getSimpleName());
                    }
                });
            }
            producer.flush();
            reader.join(timeout.toMillis() + 5_000);
            BenchResult result = measurement.result(sampler.usage());
            return result.withWrites(TopicWrites.perCompletion(before, writes.endOffsets(), result.completed()));
        }
    }

    private void createTopics(String... names) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer(String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topic, p));
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        assigned.forEach(consumer::position);
        return consumer;
    }
}

package io.brewstream.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What a run wrote to the broker, per topic (application topics, Streams' changelog and repartition topics, and
 * Kafka's own): the growth of each topic's end offsets, which counts records and transaction markers.
 */
public final class TopicWrites implements AutoCloseable {
    private final Admin admin;

    public TopicWrites(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** The end offsets of every topic, summed over its partitions. */
    public Map<String, Long> endOffsets() throws InterruptedException, ExecutionException {
        var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
        Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topics.values().forEach(topic -> topic.partitions().forEach(
                p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
        Map<String, Long> offsets = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> offsets.merge(partition.topic(), info.offset(), Long::sum));
        return offsets;
    }

    /**
     * Waits until the broker takes fewer than {@code writesPerSecond} writes a second, measured over one-second
     * windows, or {@code atMost} passed: a run's orders are complete at VALIDATED, but what follows from them
     * (reservations, analytics, the customers' risk profiles) goes on for a while and would weigh on the next run.
     *
     * @return how long it took
     */
    public Duration awaitQuiet(long writesPerSecond, Duration atMost) throws InterruptedException, ExecutionException {
        long start = System.nanoTime();
        long before = total(endOffsets());
        while (System.nanoTime() - start < atMost.toNanos()) {
            Thread.sleep(1_000); // the measuring window
            long now = total(endOffsets());
            if (now - before < writesPerSecond) {
                break;
            }
            before = now;
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static long total(Map<String, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Offsets written per completion between two snapshots, largest first; {@code total} first of all. */
    public static Map<String, Double> perCompletion(Map<String, Long> before, Map<String, Long> after, long completions) {
        Map<String, Double> per = new LinkedHashMap<>();
        if (completions == 0) {
            return per;
        }
        List<Map.Entry<String, Long>> grown = after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
        per.put("total", round(grown.stream().mapToLong(Map.Entry::getValue).sum() / (double) completions));
        grown.forEach(e -> per.put(e.getKey(), round(e.getValue() / (double) completions)));
        return per;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    @Override
    public void close() {
        admin.close();
    }
}

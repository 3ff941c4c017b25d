package io.brewstream.schemas.topics;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * The producer partitioner of every plain producer that may write one of our topics ({@link #setIn(Map)}
 * sets it): each topic of the registry is partitioned by its {@link KeyPartitioning}, so an order command from
 * the ingress, a bot or a replayed dead letter lands in its shop's partition. Topics outside the registry keep
 * Kafka's default for keyed records; a record without a key goes to a random partition.
 */
public final class TopicPartitioner implements Partitioner {

    /** Sets this partitioner in a producer's configuration. */
    public static Map<String, Object> setIn(Map<String, Object> producerConfig) {
        producerConfig.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, TopicPartitioner.class.getName());
        return producerConfig;
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        Integer count = cluster.partitionCountForTopic(topic);
        if (count == null || count <= 0) {
            throw new IllegalStateException("no partitions known for topic " + topic);
        }
        Optional<Topic<?>> known = Topics.named(topic);
        if (known.isPresent() && known.get().keyPartitioning() == KeyPartitioning.BY_SHOP_OF_VALUE) {
            return byValue(known.get(), key == null ? null : key.toString(), value, count);
        }
        if (keyBytes == null) {
            return ThreadLocalRandom.current().nextInt(count);
        }
        // our keys are strings (UTF-8); a producer of raw bytes, like the dead-letter replay, is partitioned alike
        String stringKey = key instanceof String k ? k : new String(keyBytes, StandardCharsets.UTF_8);
        return known.map(t -> t.partition(stringKey, count))
                .orElseGet(() -> Utils.toPositive(Utils.murmur2(keyBytes)) % count);
    }

    /** A record of a topic partitioned by the shop of its values: placed by its typed value, never by chance. */
    private static <V extends SpecificRecord> int byValue(Topic<V> topic, String key, Object value, int count) {
        if (!topic.valueType().isInstance(value)) {
            throw new IllegalArgumentException(topic.name() + " is partitioned by the shop of its values; a producer"
                    + " of it sends " + topic.valueType().getSimpleName() + " values, not "
                    + (value == null ? "none" : value.getClass().getSimpleName()));
        }
        return topic.partitionOf(key, topic.valueType().cast(value), count);
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}

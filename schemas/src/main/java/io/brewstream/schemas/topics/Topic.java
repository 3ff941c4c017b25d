package io.brewstream.schemas.topics;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.brewstream.schemas.serde.AvroSerdes;

/**
 * A topic of the registry: its name, the types and serdes of its keys and values, how many partitions it has
 * and how it is cleaned up. Keys are strings (ids, or composite ids joined by ':'); values are Avro records
 * in the Confluent wire format.
 */
public final class Topic<V extends SpecificRecord> {
    private final String name;
    private final Class<V> valueType;
    private final int partitions;
    private final CleanupPolicy cleanupPolicy;
    private final String keyDescription;
    private final KeyPartitioning keyPartitioning;
    /** The shop a value names, for {@link KeyPartitioning#BY_SHOP_OF_VALUE}; null otherwise. */
    private final Function<V, String> shopOfValue;

    Topic(String name, Class<V> valueType, int partitions, CleanupPolicy cleanupPolicy, String keyDescription,
            KeyPartitioning keyPartitioning) {
        this(name, valueType, partitions, cleanupPolicy, keyDescription, keyPartitioning, null);
    }

    Topic(String name, Class<V> valueType, int partitions, CleanupPolicy cleanupPolicy, String keyDescription,
            KeyPartitioning keyPartitioning, Function<V, String> shopOfValue) {
        this.name = Objects.requireNonNull(name);
        this.valueType = Objects.requireNonNull(valueType);
        this.partitions = partitions;
        this.cleanupPolicy = Objects.requireNonNull(cleanupPolicy);
        this.keyDescription = Objects.requireNonNull(keyDescription);
        this.keyPartitioning = Objects.requireNonNull(keyPartitioning);
        if ((keyPartitioning == KeyPartitioning.BY_SHOP_OF_VALUE) != (shopOfValue != null)) {
            throw new IllegalArgumentException(name + ": a topic partitioned by the shop of its values says how to find"
                    + " it, and only such a topic does");
        }
        this.shopOfValue = shopOfValue;
    }

    public String name() {
        return name;
    }

    public Class<V> valueType() {
        return valueType;
    }

    public int partitions() {
        return partitions;
    }

    public CleanupPolicy cleanupPolicy() {
        return cleanupPolicy;
    }

    /** What the record key is, e.g. "order id". */
    public String keyDescription() {
        return keyDescription;
    }

    /** How its keys are spread over its partitions; every writer of the topic uses it. */
    public KeyPartitioning keyPartitioning() {
        return keyPartitioning;
    }

    /** The partition of a key, among this many partitions (the topic's actual count). */
    public int partition(String key, int partitionCount) {
        return keyPartitioning.partition(key, partitionCount);
    }

    /**
     * The partition of a record, among this many partitions: by its key, or, for a topic partitioned by the shop of
     * its values, by the shop its value names.
     */
    public int partitionOf(String key, V value, int partitionCount) {
        if (keyPartitioning == KeyPartitioning.BY_SHOP_OF_VALUE) {
            if (value == null) {
                throw new IllegalArgumentException(name + " is partitioned by the shop of its values: a record without"
                        + " a value (" + key + ") has no partition");
            }
            return KeyPartitioning.ofShop(shopOfValue.apply(value), partitionCount);
        }
        return partition(key, partitionCount);
    }

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    /** A value serde bound to the registry; build it once and reuse it, it caches schema ids. */
    public Serde<V> valueSerde(AvroSerdes serdes) {
        return serdes.valueSerde(valueType);
    }

    /**
     * The topic as {@link TopicProvisioner} creates it: its partitions, cleanup policy, retention (compacted topics
     * keep their latest record per key for ever, in segments rolled every {@link TopicSettings#COMPACTED_SEGMENT} so
     * the cleaner can compact them; an audited one keeps everything for the audit retention) and the cluster's
     * replication settings.
     */
    public NewTopic newTopic(TopicSettings settings) {
        Optional<Short> replicas = settings.replicationFactor() > 0
                ? Optional.of((short) settings.replicationFactor()) : Optional.empty();
        Map<String, String> configs = new java.util.HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.configValue());
        configs.put(TopicConfig.RETENTION_MS_CONFIG, cleanupPolicy == CleanupPolicy.COMPACT ? "-1"
                : String.valueOf((Topics.audited(this) ? settings.auditRetention() : settings.retention()).toMillis()));
        if (cleanupPolicy == CleanupPolicy.COMPACT) {
            configs.put(TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(TopicSettings.COMPACTED_SEGMENT.toMillis()));
        }
        if (settings.minInsyncReplicas() > 0) {
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInsyncReplicas()));
        }
        return new NewTopic(name, Optional.of(partitions), replicas).configs(configs);
    }

    @Override
    public String toString() {
        return name;
    }
}

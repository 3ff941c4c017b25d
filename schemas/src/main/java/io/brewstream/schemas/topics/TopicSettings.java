package io.brewstream.schemas.topics;

import java.time.Duration;

/**
 * How the registry's topics are created on a cluster.
 *
 * @param replicationFactor replicas per partition; 0 or less takes the broker's default
 * @param minInsyncReplicas replicas that must have a write before it is acknowledged ({@code acks=all}); 0 or less
 *                          takes the broker's default. With 3 replicas, 2 keeps every acknowledged write through the
 *                          loss of one broker and still takes writes while one is away
 * @param auditRetention    how long the records an audit needs are kept: order commands and events, payments,
 *                          refunds, chain payments, fraud scores and chargebacks
 * @param retention         how long every other topic that is not compacted keeps its records
 */
public record TopicSettings(int replicationFactor, int minInsyncReplicas, Duration auditRetention, Duration retention) {
    /** 400 days: a year's accounts closed, with their chargebacks, and some time to audit them. */
    public static final Duration AUDIT_RETENTION = Duration.ofDays(400);
    /** A week: replays and new consumers within it, like Kafka's own default, stated. */
    public static final Duration RETENTION = Duration.ofDays(7);
    /**
     * How long a compacted topic (ours, and every Kafka Streams changelog) writes one segment before it rolls the
     * next. The log cleaner compacts rolled segments only: with Kafka's defaults (a week, or 1 GiB) a busy compacted
     * topic keeps every update of the week, and a global store, or a store after a crash under exactly-once, restores
     * all of them (the soak's recoveries grew from 14 to 37 s over 30 minutes). Ten minutes, what Kafka Streams
     * already gives its repartition topics, keeps a restore near the live keys.
     */
    public static final Duration COMPACTED_SEGMENT = Duration.ofMinutes(10);

    public TopicSettings {
        if (auditRetention.compareTo(retention) < 0) {
            throw new IllegalArgumentException("the audit retention (" + auditRetention
                    + ") cannot be shorter than the retention of every other topic (" + retention + ")");
        }
    }

    /** The broker's replication and min.insync.replicas, the retentions above. */
    public static TopicSettings defaults() {
        return new TopicSettings(0, 0, AUDIT_RETENTION, RETENTION);
    }

    public TopicSettings withReplicationFactor(int replicas) {
        return new TopicSettings(replicas, minInsyncReplicas, auditRetention, retention);
    }
}

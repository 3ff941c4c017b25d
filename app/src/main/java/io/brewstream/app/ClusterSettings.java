package io.brewstream.app;

import io.brewstream.platform.config.Env;
import io.brewstream.schemas.topics.TopicSettings;

/**
 * Where the separately deployed services find Kafka and the registry, and how they create topics there.
 *
 * @param topics replication, {@code min.insync.replicas} and retentions of the topics the service creates
 */
record ClusterSettings(String bootstrapServers, String registryUrl, TopicSettings topics, String httpHost) {
    static ClusterSettings fromEnv(Env env) {
        return new ClusterSettings(
                env.string("BREWSTREAM_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                env.string("BREWSTREAM_REGISTRY_URL", "http://127.0.0.1:8081/apis/registry/v2"),
                topicSettings(env, 0),
                env.string("BREWSTREAM_HTTP_HOST", "0.0.0.0"));
    }

    /** Replicas per partition of the topics it creates; 0 or less takes the broker's default. */
    int replicationFactor() {
        return topics.replicationFactor();
    }

    /**
     * BREWSTREAM_REPLICATION_FACTOR ({@code defaultReplicas}), BREWSTREAM_MIN_INSYNC_REPLICAS (the broker's),
     * BREWSTREAM_AUDIT_RETENTION (400d), BREWSTREAM_TOPIC_RETENTION (7d).
     */
    static TopicSettings topicSettings(Env env, int defaultReplicas) {
        TopicSettings d = TopicSettings.defaults();
        return new TopicSettings(env.integer("BREWSTREAM_REPLICATION_FACTOR", defaultReplicas),
                env.integer("BREWSTREAM_MIN_INSYNC_REPLICAS", d.minInsyncReplicas()),
                env.duration("BREWSTREAM_AUDIT_RETENTION", d.auditRetention()),
                env.duration("BREWSTREAM_TOPIC_RETENTION", d.retention()));
    }
}

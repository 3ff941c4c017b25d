package io.brewstream.app;

import io.brewstream.platform.config.Env;

/**
 * Where the separately deployed services find Kafka and the registry.
 *
 * @param replicationFactor of the topics the service creates; 0 or less takes the broker's default
 */
record ClusterSettings(String bootstrapServers, String registryUrl, int replicationFactor, String httpHost) {
    static ClusterSettings fromEnv(Env env) {
        return new ClusterSettings(
                env.string("BREWSTREAM_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                env.string("BREWSTREAM_REGISTRY_URL", "http://127.0.0.1:8081/apis/registry/v2"),
                env.integer("BREWSTREAM_REPLICATION_FACTOR", 0),
                env.string("BREWSTREAM_HTTP_HOST", "0.0.0.0"));
    }
}

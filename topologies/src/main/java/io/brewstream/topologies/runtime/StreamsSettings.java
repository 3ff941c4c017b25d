package io.brewstream.topologies.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the topologies connect and run.
 *
 * @param applicationIdPrefix prefix of every application id; tests give each run its own
 * @param applicationServer   host:port of this instance's query server, for interactive-query routing
 * @param replicationFactor   of internal topics; -1 takes the broker's default
 */
public record StreamsSettings(
        String bootstrapServers,
        String registryUrl,
        String applicationIdPrefix,
        Path stateDir,
        Optional<String> applicationServer,
        Duration commitInterval,
        int replicationFactor,
        int standbyReplicas,
        int threadsPerApp) {

    /**
     * Each order passes about seven exactly-once hops, and each waits for its transaction's commit, so the commit
     * interval sets the latency: 20 ms puts an order at VALIDATED in about 0.2-0.3 s up to 200 orders/s on two
     * cores where Kafka Streams' 100 ms default takes 0.8-0.9 s, for some more CPU (docs/benchmarks.md).
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(20);

    public String applicationId(DomainTopology topology) {
        return applicationIdPrefix + "-" + topology.name();
    }
}

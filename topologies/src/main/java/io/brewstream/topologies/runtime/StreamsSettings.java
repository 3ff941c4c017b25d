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

    public String applicationId(DomainTopology topology) {
        return applicationIdPrefix + "-" + topology.name();
    }
}

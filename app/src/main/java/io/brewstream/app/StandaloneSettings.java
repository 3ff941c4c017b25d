package io.brewstream.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.brewstream.platform.config.Env;

/**
 * Settings of the all-in-one process. Ports 0 pick free ones (tests); the defaults are the usual ports on
 * loopback so the README's curl commands work.
 */
record StandaloneSettings(
        Path dataDir,
        boolean fresh,
        String httpHost,
        int httpPort,
        int kafkaPort,
        int kafkaControllerPort,
        int registryPort,
        List<String> topologies,
        Duration commitInterval,
        boolean demoData) {

    static StandaloneSettings fromEnv(Env env) {
        return new StandaloneSettings(
                env.path("BREWSTREAM_DATA_DIR", Path.of("data")),
                env.bool("BREWSTREAM_FRESH", false),
                env.string("BREWSTREAM_HTTP_HOST", "127.0.0.1"),
                env.integer("BREWSTREAM_HTTP_PORT", 8080),
                env.integer("BREWSTREAM_KAFKA_PORT", 9092),
                env.integer("BREWSTREAM_KAFKA_CONTROLLER_PORT", 9093),
                env.integer("BREWSTREAM_REGISTRY_PORT", 8081),
                List.of(env.string("BREWSTREAM_APPS", "all").split(",")),
                env.duration("BREWSTREAM_COMMIT_INTERVAL", Duration.ofMillis(100)),
                env.bool("BREWSTREAM_DEMO_DATA", true));
    }

    StandaloneSettings withDataDir(Path dir, boolean wipe) {
        return new StandaloneSettings(dir, wipe, httpHost, httpPort, kafkaPort, kafkaControllerPort, registryPort,
                topologies, commitInterval, demoData);
    }

    StandaloneSettings withPorts(int http, int kafka, int controller, int registry) {
        return new StandaloneSettings(dataDir, fresh, httpHost, http, kafka, controller, registry, topologies,
                commitInterval, demoData);
    }
}

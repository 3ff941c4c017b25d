package io.brewstream.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.brewstream.connectors.database.DatabaseSettings;
import io.brewstream.platform.config.Env;
import io.brewstream.topologies.runtime.StreamsSettings;

/**
 * Settings of the all-in-one process. Ports 0 pick free ones (tests); the defaults are the usual ports on
 * loopback so the README's commands work. Without an external database an embedded PostgreSQL runs.
 */
record StandaloneSettings(
        Path dataDir,
        boolean fresh,
        String httpHost,
        int httpPort,
        int kafkaPort,
        int kafkaControllerPort,
        int registryPort,
        int postgresPort,
        Optional<DatabaseSettings> externalDatabase,
        List<String> topologies,
        Duration commitInterval,
        int streamThreads,
        boolean demoData,
        boolean localChain,
        boolean simulateMarket) {

    static StandaloneSettings fromEnv(Env env) {
        return new StandaloneSettings(
                env.path("BREWSTREAM_DATA_DIR", Path.of("data")),
                env.bool("BREWSTREAM_FRESH", false),
                env.string("BREWSTREAM_HTTP_HOST", "127.0.0.1"),
                env.integer("BREWSTREAM_HTTP_PORT", 8080),
                env.integer("BREWSTREAM_KAFKA_PORT", 9092),
                env.integer("BREWSTREAM_KAFKA_CONTROLLER_PORT", 9093),
                env.integer("BREWSTREAM_REGISTRY_PORT", 8081),
                env.integer("BREWSTREAM_POSTGRES_PORT", 15432),
                externalDatabase(env),
                List.of(env.string("BREWSTREAM_APPS", "all").split(",")),
                env.duration("BREWSTREAM_COMMIT_INTERVAL", StreamsSettings.DEFAULT_COMMIT_INTERVAL),
                env.integer("BREWSTREAM_STREAM_THREADS", 1),
                env.bool("BREWSTREAM_DEMO_DATA", true),
                env.bool("BREWSTREAM_LOCAL_CHAIN", false),
                env.bool("BREWSTREAM_SIMULATE_MARKET", false));
    }

    /** BREWSTREAM_DATABASE_URL (with _USER and _PASSWORD) points at a PostgreSQL of one's own. */
    static Optional<DatabaseSettings> externalDatabase(Env env) {
        return env.optional("BREWSTREAM_DATABASE_URL").map(url -> new DatabaseSettings(url,
                env.string("BREWSTREAM_DATABASE_USER", "postgres"), env.string("BREWSTREAM_DATABASE_PASSWORD", "")));
    }

    StandaloneSettings withDataDir(Path dir, boolean wipe) {
        return new StandaloneSettings(dir, wipe, httpHost, httpPort, kafkaPort, kafkaControllerPort, registryPort,
                postgresPort, externalDatabase, topologies, commitInterval, streamThreads, demoData, localChain, simulateMarket);
    }

    /** With a local Ethereum node (anvil), a demo token and crypto invoices wired to it. */
    StandaloneSettings withLocalChain(boolean on) {
        return new StandaloneSettings(dataDir, fresh, httpHost, httpPort, kafkaPort, kafkaControllerPort, registryPort,
                postgresPort, externalDatabase, topologies, commitInterval, streamThreads, demoData, on, simulateMarket);
    }

    /** With a simulated market of three venues feeding the arbitrage topology. */
    StandaloneSettings withSimulatedMarket(boolean on) {
        return new StandaloneSettings(dataDir, fresh, httpHost, httpPort, kafkaPort, kafkaControllerPort, registryPort,
                postgresPort, externalDatabase, topologies, commitInterval, streamThreads, demoData, localChain, on);
    }

    StandaloneSettings withPorts(int http, int kafka, int controller, int registry, int postgres) {
        return new StandaloneSettings(dataDir, fresh, httpHost, http, kafka, controller, registry, postgres,
                externalDatabase, topologies, commitInterval, streamThreads, demoData, localChain, simulateMarket);
    }
}

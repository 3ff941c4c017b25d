package io.brewstream.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.brewstream.connectors.database.DatabaseSettings;
import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.schemas.topics.TopicProvisioner;
import picocli.CommandLine.Command;

@Command(name = "connectors", mixinStandardHelpOptions = true,
        description = {"Runs the CDC connector: the operational PostgreSQL database into Kafka (needs logical WAL).",
                "BREWSTREAM_BOOTSTRAP_SERVERS, BREWSTREAM_REGISTRY_URL, BREWSTREAM_DATABASE_URL (jdbc:postgresql://host:port/db),",
                "BREWSTREAM_DATABASE_USER, BREWSTREAM_DATABASE_PASSWORD, BREWSTREAM_DATA_DIR (offsets; ./data),",
                "BREWSTREAM_DEMO_DATA (seed an empty database with the demo chain; false), BREWSTREAM_HTTP_PORT (8070).",
                "Also the chat sender where bot tokens are set, and the chain watcher where BREWSTREAM_CHAIN_RPC_URL is."})
final class ConnectorsCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Env env = Env.system();
        ClusterSettings cluster = ClusterSettings.fromEnv(env);
        DatabaseSettings database = StandaloneSettings.externalDatabase(env)
                .orElseThrow(() -> new IllegalArgumentException("BREWSTREAM_DATABASE_URL is not set"));
        Lifecycle lifecycle = new Lifecycle();
        try {
            TopicProvisioner.ensureAll(cluster.bootstrapServers(), cluster.topics());
            Observability observability = lifecycle.add(new Observability("connectors"));
            ConnectorsComponent connectors = ConnectorsComponent.start(database, env.bool("BREWSTREAM_DEMO_DATA", false),
                    env.path("BREWSTREAM_DATA_DIR", Path.of("data")).resolve("connectors"), cluster.bootstrapServers(),
                    cluster.registryUrl(), observability, lifecycle);
            List<io.brewstream.platform.http.ReadinessCheck> readiness = new java.util.ArrayList<>(connectors.readiness);
            BotSenderComponent.start(env, cluster.bootstrapServers(), cluster.registryUrl(),
                    observability.registry(), lifecycle).ifPresent(readiness::add);
            // crypto payments: the configured fixed rates, and the chain watcher where a node is configured
            ChainSettings chain = ChainSettings.of(env);
            ChainComponent.publishRates(chain, cluster.bootstrapServers(), cluster.registryUrl());
            ChainComponent.startWatcher(chain, cluster.bootstrapServers(), cluster.registryUrl(), lifecycle)
                    .ifPresent(readiness::add);
            HttpService http = lifecycle.add(HttpService.start(cluster.httpHost(), env.integer("BREWSTREAM_HTTP_PORT", 8070),
                    observability, List.of(), readiness,
                    io.brewstream.platform.security.Authentication.refusingAll(),
                    Identity.metrics(env, java.util.Optional.empty())));
            System.out.println("brewstream connectors: health and metrics on port " + http.port());
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
        Shutdown.awaitThenClose(lifecycle);
        return 0;
    }
}

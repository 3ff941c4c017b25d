package io.brewstream.app;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.RateLimits;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.topologies.runtime.StreamsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"Runs topologies and the read API over their stores; needs Kafka and a schema registry.",
                "BREWSTREAM_BOOTSTRAP_SERVERS, BREWSTREAM_REGISTRY_URL, BREWSTREAM_HTTP_PORT (8090),",
                "BREWSTREAM_ADVERTISED_HOST (how other instances reach this one), BREWSTREAM_STATE_DIR,",
                "BREWSTREAM_COMMIT_INTERVAL (20ms), BREWSTREAM_STANDBY_REPLICAS (1), BREWSTREAM_STREAM_THREADS (1)."})
final class StreamsCommand implements Callable<Integer> {
    @Option(names = "--apps", split = ",", description = "Topologies to run (default: $BREWSTREAM_APPS or all): ${COMPLETION-CANDIDATES}",
            completionCandidates = Names.class)
    List<String> apps;

    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return TopologyCatalog.names().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        Env env = Env.system();
        ClusterSettings cluster = ClusterSettings.fromEnv(env);
        int httpPort = env.integer("BREWSTREAM_HTTP_PORT", 8090);
        String advertisedHost = env.string("BREWSTREAM_ADVERTISED_HOST", InetAddress.getLocalHost().getHostName());
        StreamsSettings settings = new StreamsSettings(cluster.bootstrapServers(), cluster.registryUrl(),
                env.string("BREWSTREAM_APPLICATION_ID_PREFIX", "brewstream"),
                env.path("BREWSTREAM_STATE_DIR", Path.of("data", "streams")),
                Optional.of(advertisedHost + ":" + httpPort),
                env.duration("BREWSTREAM_COMMIT_INTERVAL", StreamsSettings.DEFAULT_COMMIT_INTERVAL),
                cluster.replicationFactor() > 0 ? cluster.replicationFactor() : -1,
                env.integer("BREWSTREAM_STANDBY_REPLICAS", 1),
                env.integer("BREWSTREAM_STREAM_THREADS", 1));
        List<String> selected = apps != null ? apps : List.of(env.string("BREWSTREAM_APPS", "all").split(","));

        Lifecycle lifecycle = new Lifecycle();
        StreamsComponent streams;
        try {
            TopicProvisioner.ensureAll(cluster.bootstrapServers(), cluster.topics());
            Observability observability = lifecycle.add(new Observability("streams"));
            streams = StreamsComponent.start(TopologyCatalog.select(selected, env), settings,
                    observability, lifecycle);
            Identity identity = Identity.from(env, Optional.empty(),
                    env.string("BREWSTREAM_PUBLIC_URL", "http://" + advertisedHost + ":" + httpPort));
            List<HttpRoutes> routes = new ArrayList<>(identity.routes);
            routes.addAll(streams.routes);
            // reported, not deciding: reads are answered from the stores while the broker or the registry is away
            List<io.brewstream.platform.http.ReadinessCheck> readiness = new ArrayList<>(streams.readiness);
            readiness.add(Dependencies.broker(cluster.bootstrapServers(), false, lifecycle));
            readiness.add(Dependencies.registry(cluster.registryUrl(), false, lifecycle));
            HttpService http = lifecycle.add(HttpService.start(cluster.httpHost(), httpPort, observability,
                    routes, readiness, identity.authentication, Identity.metrics(env, Optional.empty()),
                    RateLimits.from(env, IngressComponent.clientAddresses(env)::of)));
            System.out.println("brewstream streams " + selected + " with the read API on port " + http.port());
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
        Shutdown.awaitThenClose(lifecycle, streams.deadForGood());
        return 0;
    }
}

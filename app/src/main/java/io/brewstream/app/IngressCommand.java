package io.brewstream.app;

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
import picocli.CommandLine.Command;

@Command(name = "ingress", mixinStandardHelpOptions = true,
        description = {"Runs the write API only; needs a Kafka cluster and a schema registry.",
                "BREWSTREAM_BOOTSTRAP_SERVERS, BREWSTREAM_REGISTRY_URL, BREWSTREAM_HTTP_PORT (8080),",
                "BREWSTREAM_QUERY_BASE_URL (where Location headers point, e.g. http://queries:8090),",
                "BREWSTREAM_TRUSTED_PROXIES (whose X-Forwarded-For to believe; loopback and private networks)."})
final class IngressCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Env env = Env.system();
        ClusterSettings cluster = ClusterSettings.fromEnv(env);
        Lifecycle lifecycle = new Lifecycle();
        try {
            TopicProvisioner.ensureAll(cluster.bootstrapServers(), cluster.topics());
            Observability observability = lifecycle.add(new Observability("ingress"));
            IngressComponent ingress = IngressComponent.start(cluster.bootstrapServers(), cluster.registryUrl(),
                    env.string("BREWSTREAM_QUERY_BASE_URL", ""), IngressComponent.clientAddresses(env), IngressComponent.stripe(env), IngressComponent.ChatWebhookCredentials.of(env), observability,
                    lifecycle);
            int port = env.integer("BREWSTREAM_HTTP_PORT", 8080);
            Identity identity = Identity.from(env, Optional.empty(),
                    env.string("BREWSTREAM_PUBLIC_URL", "http://127.0.0.1:" + port));
            List<HttpRoutes> routes = new ArrayList<>(identity.routes);
            routes.addAll(ingress.routes);
            HttpService http = lifecycle.add(HttpService.start(cluster.httpHost(), port, observability, routes,
                    ingress.readiness, identity.authentication, Identity.metrics(env, Optional.empty()),
                    RateLimits.from(env, IngressComponent.clientAddresses(env)::of)));
            System.out.println("brewstream ingress listening on port " + http.port());
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
        Shutdown.awaitThenClose(lifecycle);
        return 0;
    }
}

package io.brewstream.app;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.brewstream.ingress.http.ClientAddresses;
import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.ingress.orders.OrderActionRoutes;
import io.brewstream.ingress.orders.OrderIngressRoutes;
import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/** The write API: its producer, routes and readiness. */
final class IngressComponent {
    final List<HttpRoutes> routes;
    final ReadinessCheck readiness;
    final CommandPublisher publisher;

    private IngressComponent(List<HttpRoutes> routes, ReadinessCheck readiness, CommandPublisher publisher) {
        this.routes = routes;
        this.readiness = readiness;
        this.publisher = publisher;
    }

    /** BREWSTREAM_TRUSTED_PROXIES: whose X-Forwarded-For to believe; loopback and private networks by default. */
    static ClientAddresses clientAddresses(Env env) {
        return ClientAddresses.trusting(env.string("BREWSTREAM_TRUSTED_PROXIES",
                ClientAddresses.LOOPBACK_AND_PRIVATE_NETWORKS));
    }

    static IngressComponent start(String bootstrapServers, String registryUrl, String queryBaseUrl,
            ClientAddresses clientAddresses, Observability observability, Lifecycle lifecycle) {
        CommandPublisher publisher = lifecycle.add(new CommandPublisher(bootstrapServers,
                AvroSerdes.forRegistry(registryUrl), Duration.ofSeconds(10), observability.registry()));
        return new IngressComponent(
                List.of(new OrderIngressRoutes(publisher, queryBaseUrl, clientAddresses, Clock.systemUTC(), observability.registry()),
                        new OrderActionRoutes(publisher, queryBaseUrl, Clock.systemUTC(), observability.registry())),
                ReadinessCheck.of("ingress-kafka", () -> publisher.canReach(Topics.ORDER_COMMANDS)), publisher);
    }
}

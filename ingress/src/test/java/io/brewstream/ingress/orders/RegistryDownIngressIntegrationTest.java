package io.brewstream.ingress.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.brewstream.embedded.FreePorts;
import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.ingress.http.ClientAddresses;
import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.MetricsEndpoint;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.DevelopmentIssuer;
import io.brewstream.platform.security.IdentitySettings;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.TopicProvisioner;

/** The ingress started while the schema registry is away: a command answers 503 with Retry-After, never 500. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class RegistryDownIngressIntegrationTest {
    private final EmbeddedInfrastructure infra;

    RegistryDownIngressIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
    }

    @Test
    void aCommandWhileTheRegistryIsUnreachableIsA503WithRetryAfter() throws Exception {
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
        String nowhere = "http://127.0.0.1:" + FreePorts.next() + "/apis/registry/v2";
        DevelopmentIssuer issuer = DevelopmentIssuer.inMemory("http://127.0.0.1:1", IdentitySettings.defaults("x"));
        try (Observability observability = new Observability("registry-down");
                CommandPublisher publisher = new CommandPublisher(infra.bootstrapServers(), AvroSerdes.forRegistry(nowhere),
                        Duration.ofSeconds(5), observability.registry());
                HttpService http = HttpService.start("127.0.0.1", 0, observability,
                        List.of(new OrderIngressRoutes(publisher, "", ClientAddresses.trusting(""), Clock.systemUTC(),
                                observability.registry())),
                        List.of(), new Authentication(issuer.verifier()), MetricsEndpoint.disabled())) {
            String token = issuer.mint("cust-1", Set.of(Role.CUSTOMER), Set.of(), Optional.of("cust-1"),
                    Duration.ofMinutes(5));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.port() + "/api/v1/orders"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"shopId\":\"berlin-mitte\",\"items\":[{\"menuItemId\":\"latte\",\"quantity\":1}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        }
    }
}

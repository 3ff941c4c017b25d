package io.brewstream.queries.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.topologies.orders.OrdersSettings;
import io.brewstream.topologies.orders.OrdersTopology;
import io.brewstream.platform.http.MetricsEndpoint;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.DevelopmentIssuer;
import io.brewstream.platform.security.IdentitySettings;
import io.brewstream.platform.security.Role;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** While the topology is not running, reads answer 503 with Retry-After, never 500. */
class OrderQueryRoutesTest {

    @Test
    void aReadBeforeTheTopologyRunsIsServiceUnavailable(@TempDir Path stateDir) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "iq-not-started");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // serdes are only configured here, never called: no registry is needed
        var topology = new OrdersTopology(OrdersSettings.defaults()).build(AvroSerdes.forRegistry("http://127.0.0.1:9"), props);
        DevelopmentIssuer issuer = DevelopmentIssuer.inMemory("http://127.0.0.1:1", IdentitySettings.defaults("x"));
        String token = issuer.mint("anna", Set.of(Role.STAFF), Set.of("s"), Optional.empty(), Duration.ofMinutes(5));
        try (KafkaStreams notStarted = new KafkaStreams(topology, props);
                Observability observability = new Observability("iq-test");
                HttpService http = HttpService.start("127.0.0.1", 0, observability,
                        List.of(new OrderQueryRoutes(new LocalStores(notStarted),
                                new InstanceRouter(notStarted, java.util.Optional.empty()),
                                new io.brewstream.queries.limits.OpenConnections(10, 100))), List.of(),
                        new Authentication(issuer.verifier()), MetricsEndpoint.disabled())) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.port() + "/api/v1/orders/o-1"))
                    .header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(Json.mapper().readTree(response.body()).get("detail").asText()).contains("CREATED");
        }
    }
}

package io.brewstream.ingress.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.embedded.EmbeddedKafka;
import io.brewstream.embedded.FreePorts;
import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.ingress.http.ClientAddresses;
import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.http.MetricsEndpoint;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.DevelopmentIssuer;
import io.brewstream.platform.security.IdentitySettings;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.TopicProvisioner;

/**
 * The broker goes away under the ingress and comes back: meanwhile every command is answered 503 with Retry-After
 * within a second (none waits for a delivery timeout), /ready says the broker is away, /health still answers; once
 * the broker is back, commands are recorded again without a restart. A broker of the test's own, so stopping it
 * touches no other test.
 */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class KafkaAwayIngressIntegrationTest {
    private static final String ORDER = "{\"shopId\":\"berlin-mitte\",\"items\":[{\"menuItemId\":\"latte\",\"quantity\":1}]}";
    private final EmbeddedInfrastructure infra;
    private final HttpClient client = HttpClient.newHttpClient();
    private final DevelopmentIssuer issuer = DevelopmentIssuer.inMemory("http://127.0.0.1:1", IdentitySettings.defaults("x"));
    private EmbeddedKafka kafka;

    KafkaAwayIngressIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
    }

    @AfterEach
    void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void whileTheBrokerIsAwayCommandsAre503WithinASecondAndAfterItAreRecordedAgain(@TempDir Path kafkaData)
            throws Exception {
        int port = FreePorts.next();
        int controllerPort = FreePorts.next();
        kafka = EmbeddedKafka.persistent(kafkaData, port, controllerPort).start();
        TopicProvisioner.ensureAll(kafka.bootstrapServers(), 1);
        try (Ingress ingress = new Ingress(kafka.bootstrapServers())) {
            String base = ingress.baseUrl();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(base + "/ready").statusCode() == 200);
            assertThat(placeOrder(base, "before").statusCode()).isEqualTo(202);

            kafka.close();
            await().atMost(Duration.ofSeconds(15)).until(() -> get(base + "/ready").statusCode() == 503);
            JsonNode ready = Json.mapper().readTree(get(base + "/ready").body());
            assertThat(ready.at("/checks/kafka").asText()).isEqualTo("NOT_READY");

            // forty commands at once, each answered within a second; the server's threads are free meanwhile
            List<CompletableFuture<Timed>> inFlight = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                inFlight.add(placeOrderAsync(base, "away-" + i));
            }
            assertThat(get(base + "/health").statusCode()).isEqualTo(200);
            for (CompletableFuture<Timed> request : inFlight) {
                Timed answer = request.get();
                assertThat(answer.response().statusCode()).as(answer.response().body()).isEqualTo(503);
                assertThat(answer.response().headers().firstValue("Retry-After")).isPresent();
                assertThat(answer.response().headers().firstValue("Content-Type").orElseThrow())
                        .startsWith("application/problem+json");
                assertThat(answer.took()).as("answered within a second").isLessThan(Duration.ofSeconds(1));
            }

            // back on the same ports and data: recorded again, no restart of the ingress
            kafka = EmbeddedKafka.persistent(kafkaData, port, controllerPort).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(base + "/ready").statusCode() == 200);
            assertThat(placeOrder(base, "after").statusCode()).isEqualTo(202);
        }
    }

    @Test
    void anIngressThatNeverReachedTheBrokerAnswers503WithinASecondFromItsFirstCommand() throws Exception {
        String nowhere = "127.0.0.1:" + FreePorts.next();
        try (Ingress ingress = new Ingress(nowhere)) {
            String base = ingress.baseUrl();
            // at once, before the probe has had its first answer, and again once it has
            for (int i = 0; i < 2; i++) {
                Timed answer = placeOrderAsync(base, "never-" + i).get();
                assertThat(answer.response().statusCode()).as(answer.response().body()).isEqualTo(503);
                assertThat(answer.response().headers().firstValue("Retry-After")).isPresent();
                assertThat(answer.took()).as("answered within a second").isLessThan(Duration.ofSeconds(1));
                await().atMost(Duration.ofSeconds(10)).until(() -> get(base + "/ready").statusCode() == 503);
            }
        }
    }

    /** The order routes over a publisher to {@code bootstrapServers}, /ready deciding on its broker. */
    private final class Ingress implements AutoCloseable {
        private final Observability observability = new Observability("kafka-away");
        private final CommandPublisher publisher;
        private final HttpService http;

        Ingress(String bootstrapServers) {
            publisher = new CommandPublisher(bootstrapServers, AvroSerdes.forRegistry(infra.registryUrl()),
                    Duration.ofSeconds(10), observability.registry());
            http = HttpService.start("127.0.0.1", 0, observability, List.of(new OrderIngressRoutes(publisher, "",
                    ClientAddresses.trusting(""), Clock.systemUTC(), observability.registry())),
                    List.of(publisher.brokerCheck()), new Authentication(issuer.verifier()), MetricsEndpoint.disabled());
        }

        String baseUrl() {
            return "http://127.0.0.1:" + http.port();
        }

        @Override
        public void close() {
            http.close();
            publisher.close();
            observability.close();
        }
    }

    private record Timed(HttpResponse<String> response, Duration took) {
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> placeOrder(String base, String idempotencyKey) throws Exception {
        return placeOrderAsync(base, idempotencyKey).get().response();
    }

    private CompletableFuture<Timed> placeOrderAsync(String base, String idempotencyKey) {
        String token = issuer.mint("cust-1", Set.of(Role.CUSTOMER), Set.of(), Optional.of("cust-1"), Duration.ofMinutes(5));
        long started = System.nanoTime();
        return client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/orders"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(ORDER)).build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Timed(response, Duration.ofNanos(System.nanoTime() - started)));
    }
}

package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.embedded.FreePorts;
import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.ingress.http.ClientAddresses;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.MetricsEndpoint;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.DevelopmentIssuer;
import io.brewstream.platform.security.IdentitySettings;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.schemas.topics.KeyPartitioning;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.orders.OrdersSettings;
import io.brewstream.topologies.orders.OrdersTopology;
import io.brewstream.topologies.runtime.StreamsSettings;

/**
 * Two instances of the orders application (same application id, different application.server): every order
 * is readable from both, the instance that does not own it forwarding the read; orders are partitioned by shop,
 * so one instance holds all of a shop's open orders and the other forwards the read of its queue.
 */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class MultiInstanceQueryIntegrationTest {
    /** One issuer for every instance: a token is accepted wherever the read is forwarded. */
    private static final DevelopmentIssuer ISSUER = DevelopmentIssuer.inMemory("http://127.0.0.1:1",
            IdentitySettings.defaults("x"));
    private final EmbeddedInfrastructure infra;
    private final Lifecycle lifecycle = new Lifecycle();

    MultiInstanceQueryIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
    }

    @AfterEach
    void stop() {
        lifecycle.close();
    }

    @Test
    void everyOrderIsReadableFromBothInstancesAndReadsAreRoutedByShopPartition(@TempDir Path stateA, @TempDir Path stateB)
            throws Exception {
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
        String applicationIds = EmbeddedInfrastructure.uniqueName("multi");
        Instance a = instance(applicationIds, stateA);
        Instance b = instance(applicationIds, stateB);
        await().atMost(Duration.ofSeconds(90)).until(() -> a.running() && b.running()
                && a.streams().metadataForAllStreamsClients().size() == 2
                && a.streams().metadataForAllStreamsClients().stream().allMatch(m -> !m.topicPartitions().isEmpty()));

        IngressComponent ingress = IngressComponent.start(infra.bootstrapServers(), infra.registryUrl(), "",
                ClientAddresses.trusting(""), java.util.Optional.empty(),
                lifecycle.add(new Observability("multi-ingress")), lifecycle);
        // a shop in every partition, so both instances own some of them
        Map<Integer, String> shopByPartition = new java.util.TreeMap<>();
        String prefix = EmbeddedInfrastructure.uniqueName("shop");
        for (int i = 0; shopByPartition.size() < Topics.ORDER_COMMANDS.partitions(); i++) {
            shopByPartition.putIfAbsent(KeyPartitioning.ofShop(prefix + "-" + i, Topics.ORDER_COMMANDS.partitions()),
                    prefix + "-" + i);
        }
        ApiClient writer = new ApiClient(startHttp(ingress.routes, "multi-ingress-http"), ISSUER);
        Map<String, List<String>> ordersByShop = new java.util.LinkedHashMap<>();
        for (String shop : shopByPartition.values()) {
            for (int i = 0; i < 3; i++) {
                ordersByShop.computeIfAbsent(shop, s -> new ArrayList<>()).add(writer.placeOrder("{\"shopId\":\"" + shop
                        + "\",\"customerId\":\"c-" + i + "\",\"items\":[{\"menuItemId\":\"latte\",\"quantity\":1}]}",
                        Map.of()));
            }
        }

        for (String orderId : ordersByShop.values().stream().flatMap(List::stream).toList()) {
            for (ApiClient reader : List.of(a.api(), b.api())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> reader.get("/api/v1/orders/" + orderId).statusCode() == 200);
                assertThat(ApiClient.json(reader.get("/api/v1/orders/" + orderId)).get("orderId").asText()).isEqualTo(orderId);
            }
        }

        // reads are routed by shop partition: one instance holds all of a shop's orders, the other forwards
        Set<String> shopsOfA = new HashSet<>();
        Set<String> shopsOfB = new HashSet<>();
        for (Map.Entry<String, List<String>> shop : ordersByShop.entrySet()) {
            Optional<Set<String>> onA = localOrders(a, shop.getKey());
            Optional<Set<String>> onB = localOrders(b, shop.getKey());
            assertThat(onA.isPresent()).as("exactly one instance owns " + shop.getKey()).isNotEqualTo(onB.isPresent());
            assertThat(onA.or(() -> onB).orElseThrow()).containsExactlyInAnyOrderElementsOf(shop.getValue());
            (onA.isPresent() ? shopsOfA : shopsOfB).add(shop.getKey());
            for (ApiClient reader : List.of(a.api(), b.api())) {
                JsonNode queue = ApiClient.json(reader.get("/api/v1/shops/" + shop.getKey() + "/orders"));
                assertThat(queue.get("orders").findValuesAsText("orderId")).containsExactlyInAnyOrderElementsOf(shop.getValue());
            }
        }
        assertThat(shopsOfA).as("each instance owns some shops").isNotEmpty();
        assertThat(shopsOfB).isNotEmpty();
    }

    /** The shop's open orders as this instance holds them, without forwarding; empty when it does not own the shop. */
    private Optional<Set<String>> localOrders(Instance instance, String shop) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(instance.url() + "/api/v1/shops/" + shop + "/orders"))
                .header(io.brewstream.queries.routing.InstanceRouter.LOCAL_ONLY_HEADER, "1")
                .header("Authorization", instance.api().token(io.brewstream.platform.security.Role.STAFF, shop)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 503) {
            return Optional.empty();
        }
        assertThat(response.statusCode()).isEqualTo(200);
        return Optional.of(new HashSet<>(io.brewstream.platform.http.Json.mapper().readTree(response.body()).get("orders")
                .findValuesAsText("orderId")));
    }

    @Test
    void readsDuringARebalanceAnswerOnly200Or503(@TempDir Path stateA, @TempDir Path stateB, @TempDir Path stateC)
            throws Exception {
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
        String applicationIds = EmbeddedInfrastructure.uniqueName("rebalance");
        Instance a = instance(applicationIds, stateA);
        Instance b = instance(applicationIds, stateB);
        await().atMost(Duration.ofSeconds(90)).until(() -> a.running() && b.running()
                && a.streams().metadataForAllStreamsClients().size() == 2);
        IngressComponent ingress = IngressComponent.start(infra.bootstrapServers(), infra.registryUrl(), "",
                ClientAddresses.trusting(""), java.util.Optional.empty(),
                lifecycle.add(new Observability("rebalance-ingress")), lifecycle);
        ApiClient writer = new ApiClient(startHttp(ingress.routes, "rebalance-ingress-http"), ISSUER);
        List<String> orderIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            orderIds.add(writer.placeOrder("{\"shopId\":\"s-1\",\"customerId\":\"c-" + i
                    + "\",\"items\":[{\"menuItemId\":\"latte\",\"quantity\":1}]}", Map.of()));
        }
        for (String orderId : orderIds) {
            await().atMost(Duration.ofSeconds(30)).until(() -> a.api().get("/api/v1/orders/" + orderId).statusCode() == 200);
        }

        List<Integer> codes = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            int i = 0;
            while (reading.get()) {
                try {
                    codes.add(a.api().get("/api/v1/orders/" + orderIds.get(i++ % orderIds.size())).statusCode());
                    codes.add(a.api().get("/api/v1/shops/s-1/orders").statusCode());
                } catch (Exception e) {
                    codes.add(-1);
                }
            }
        }, "reader");
        reader.start();
        b.close();                                    // one instance leaves: a rebalance
        Instance c = instance(applicationIds, stateC); // another joins and restores: a second one
        await().atMost(Duration.ofSeconds(90)).until(() -> c.running() && a.running()
                && a.streams().metadataForAllStreamsClients().size() == 2);
        for (String orderId : orderIds) {
            await().atMost(Duration.ofSeconds(30)).until(() -> c.api().get("/api/v1/orders/" + orderId).statusCode() == 200);
        }
        reading.set(false);
        reader.join();

        assertThat(codes).hasSizeGreaterThan(20);
        assertThat(new HashSet<>(codes)).as("status codes seen while rebalancing").isSubsetOf(200, 503);
        assertThat(codes).contains(200);
    }

    private record Instance(StreamsComponent component, String url, Lifecycle lifecycle) {
        void close() {
            lifecycle.close();
        }

        ApiClient api() {
            return new ApiClient(url, ISSUER);
        }

        KafkaStreams streams() {
            return component.apps.get(0).streams();
        }

        boolean running() {
            return component.apps.get(0).isRunning();
        }
    }

    private Instance instance(String applicationIdPrefix, Path stateDir) {
        Lifecycle lifecycle = this.lifecycle.add(new Lifecycle());
        int port = FreePorts.next();
        StreamsSettings settings = new StreamsSettings(infra.bootstrapServers(), infra.registryUrl(), applicationIdPrefix,
                stateDir, Optional.of("127.0.0.1:" + port), Duration.ofMillis(100), 1, 0, 1);
        Observability observability = lifecycle.add(new Observability("multi-" + port));
        StreamsComponent component = StreamsComponent.start(
                List.of(new OrdersTopology(OrdersSettings.defaults().withRequiredChecks(List.of()))),
                settings, observability, lifecycle);
        lifecycle.add(HttpService.start("127.0.0.1", port, observability, component.routes, component.readiness,
                new Authentication(ISSUER.verifier()), MetricsEndpoint.disabled()));
        return new Instance(component, "http://127.0.0.1:" + port, lifecycle);
    }

    private String startHttp(List<io.brewstream.platform.http.HttpRoutes> routes, String name) {
        Observability observability = lifecycle.add(new Observability(name));
        HttpService http = lifecycle.add(HttpService.start("127.0.0.1", 0, observability, routes, List.of(),
                new Authentication(ISSUER.verifier()), MetricsEndpoint.disabled()));
        return "http://127.0.0.1:" + http.port();
    }

}

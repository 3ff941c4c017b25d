package io.brewstream.ingress.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.topics.Topics;

/** POST /api/v1/orders against the real broker and registry. */
class PlaceOrderIngressIntegrationTest extends IngressServerTest {
    private static final String VALID = """
            {"shopId":"berlin-mitte","items":[{"menuItemId":"latte","quantity":2,"size":"large","options":["oat"]}]}""";


    PlaceOrderIngressIntegrationTest(EmbeddedInfrastructure infra) {
        super(infra);
    }



    @Test
    void aValidOrderIsAcceptedAndWrittenAsAnAvroCommand() throws Exception {
        HttpResponse<String> response = post(VALID, Map.of("X-Device-Id", "device-1"));

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = Json.mapper().readTree(response.body());
        String orderId = body.get("orderId").asText();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/orders/" + orderId);

        ConsumerRecord<String, byte[]> record = server.read(Topics.ORDER_COMMANDS, orderId);
        assertThat(record.value()[0]).as("magic byte").isZero();
        OrderCommand command = Topics.ORDER_COMMANDS.valueSerde(server.serdes).deserializer()
                .deserialize(record.topic(), record.value());
        PlaceOrder place = (PlaceOrder) command.getCommand();
        assertThat(command.getOrderId()).isEqualTo(orderId);
        assertThat(place.getShopId()).isEqualTo("berlin-mitte");
        assertThat(place.getCustomerId()).isEqualTo("cust-7");
        assertThat(place.getDeviceId()).isEqualTo("device-1");
        assertThat(place.getClientIp()).isEqualTo("127.0.0.1");
        assertThat(place.getLines()).singleElement().satisfies(line -> {
            assertThat(line.getMenuItemId()).isEqualTo("latte");
            assertThat(line.getQuantity()).isEqualTo(2);
            assertThat(line.getSize()).isEqualTo(ItemSize.LARGE);
            assertThat(line.getOptions()).containsExactly("oat");
            assertThat(line.getUnitPrice()).isNull();
        });
    }

    @Test
    void behindTrustedProxiesTheClientIsTheAddressTheyForwardedFor() throws Exception {
        // the test server trusts loopback and 10.0.0.0/8: the bench's request went through a proxy at 10.1.2.3
        HttpResponse<String> response = post(VALID, Map.of("X-Forwarded-For", "192.0.2.1, 198.51.100.23, 10.1.2.3"));

        assertThat(response.statusCode()).isEqualTo(202);
        String orderId = Json.mapper().readTree(response.body()).get("orderId").asText();
        OrderCommand command = Topics.ORDER_COMMANDS.valueSerde(server.serdes).deserializer()
                .deserialize(Topics.ORDER_COMMANDS.name(), server.read(Topics.ORDER_COMMANDS, orderId).value());
        assertThat(((PlaceOrder) command.getCommand()).getClientIp()).as("the first untrusted hop from the right")
                .isEqualTo("198.51.100.23");
    }

    @Test
    void theSameIdempotencyKeyNamesTheSameOrder() throws Exception {
        String first = Json.mapper().readTree(post(VALID, Map.of("Idempotency-Key", "k-42")).body()).get("orderId").asText();
        String second = Json.mapper().readTree(post(VALID, Map.of("Idempotency-Key", "k-42")).body()).get("orderId").asText();
        String other = Json.mapper().readTree(post(VALID, Map.of("Idempotency-Key", "k-43")).body()).get("orderId").asText();

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON          | {"shopId":"berlin-mitte",                                                          | body
            not an object           | [1,2]                                                                              | body
            missing shop            | {"items":[{"menuItemId":"latte","quantity":1}]}                                    | shopId
            customer in the body    | {"shopId":"s","customerId":"c","items":[{"menuItemId":"latte","quantity":1}]}      | customerId
            dotted capital I size   | {"shopId":"s","items":[{"menuItemId":"latte","quantity":1,"size":"medİum"}]}       | items[0].size
            zero quantity           | {"shopId":"s","items":[{"menuItemId":"latte","quantity":0}]}      | items[0].quantity
            negative quantity       | {"shopId":"s","items":[{"menuItemId":"latte","quantity":-3}]}     | items[0].quantity
            fractional quantity     | {"shopId":"s","items":[{"menuItemId":"latte","quantity":1.5}]}    | items[0].quantity
            text quantity           | {"shopId":"s","items":[{"menuItemId":"latte","quantity":"two"}]}  | items[0].quantity
            missing quantity        | {"shopId":"s","items":[{"menuItemId":"latte"}]}                   | items[0].quantity
            unknown size            | {"shopId":"s","items":[{"menuItemId":"latte","quantity":1,"size":"huge"}]} | items[0].size
            no items                | {"shopId":"s","items":[]}                                         | items
            unknown top-level field | {"shopId":"s","price":1,"items":[{"menuItemId":"latte","quantity":1}]} | price
            unknown item field      | {"shopId":"s","items":[{"menuItemId":"latte","quantity":1,"unitPrice":1}]} | items[0].unitPrice
            """)
    void badInputGetsAProblemNamingTheFieldAndWritesNothing(String description, String body, String field) throws Exception {
        long before = endOffsetSum();

        HttpResponse<String> response = post(body, Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("title").asText()).isEqualTo("Invalid request");
        assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/orders");
        assertThat(problem.get("errors").findValuesAsText("field")).contains(field);
        assertThat(endOffsetSum()).as("nothing written to Kafka").isEqualTo(before);
    }

    @Test
    void everyBadFieldIsNamedInOneAnswer() throws Exception {
        HttpResponse<String> response = post("""
                {"colour":"red","items":[{"menuItemId":"latte","quantity":0,"extra":{"a":1}}]}""", Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(response.body()).get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("colour", "items[0].extra", "shopId", "items[0].quantity");
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWith415() throws Exception {
        HttpResponse<String> response = post(VALID, Map.of("Content-Type", "text/plain"));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(Json.mapper().readTree(response.body()).get("status").asInt()).isEqualTo(415);
    }

    @Test
    void aCharsetParameterOtherThanUtf8IsRefusedWith415AndUtf8IsAccepted() throws Exception {
        HttpResponse<String> unknown = post(VALID, Map.of("Content-Type", "application/json; charset=x"));
        HttpResponse<String> latin = post(VALID, Map.of("Content-Type", "application/json; charset=ISO-8859-1"));
        HttpResponse<String> utf8 = post(VALID, Map.of("Content-Type", "application/json; charset=UTF-8"));

        assertThat(unknown.statusCode()).isEqualTo(415);
        assertThat(latin.statusCode()).isEqualTo(415);
        assertThat(utf8.statusCode()).isEqualTo(202);
    }

    @Test
    void theCustomerComesFromTheTokenAndOtherRolesMayNotPlaceOrders() throws Exception {
        HttpResponse<String> asStaff = post(VALID, Map.of("Authorization", server.as(Role.STAFF, "berlin-mitte")));
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/api/v1/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(VALID)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> forged = post(VALID, Map.of("Authorization", "Bearer " + server.issuer.mint("x",
                java.util.Set.of(Role.CUSTOMER), java.util.Set.of(), java.util.Optional.of("x"), java.time.Duration.ofMinutes(1))
                .replaceAll("\\.(.)(.)", ".$2$1")));

        assertThat(asStaff.statusCode()).isEqualTo(403);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"brewstream\"");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
    }

    @Test
    void healthReadinessAndMetricsAnswer() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        post(VALID, Map.of());
        assertThat(get("/metrics").statusCode()).as("no scrape token").isEqualTo(401);
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/metrics"))
                .header("Authorization", "Bearer " + IngressTestServer.SCRAPE_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("jvm_memory_used_bytes")
                .contains("kafka_producer_record_send_total")
                .contains("brewstream_ingress_commands_total{command=\"place-order\",outcome=\"accepted\"")
                .contains("http_server_requests_seconds_count{method=\"POST\"");
    }

    private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        return server.post("/api/v1/orders", body, headers);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return server.get(path);
    }

    private long endOffsetSum() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> request = java.util.stream.IntStream.range(0, Topics.ORDER_COMMANDS.partitions())
                    .boxed().collect(Collectors.toMap(p -> new TopicPartition(Topics.ORDER_COMMANDS.name(), p), p -> OffsetSpec.latest()));
            return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }
}

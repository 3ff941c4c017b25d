package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.DemoData;

/**
 * The whole order flow over HTTP on the standalone stack with the demo chain: place, pay, validated by pricing,
 * inventory and payment, start, ready, claim; stock reserved and then consumed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderLifecycleIntegrationTest {
    private static final String SHOP = "berlin-kreuzberg";
    private Standalone standalone;
    private ApiClient api;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        standalone = Standalone.start(StandaloneSettingsForTests.onFreePorts(dataDir));
        assertThat(standalone.awaitReady(Duration.ofMinutes(2))).isTrue();
        api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
        // the demo chain's opening deliveries reach the inventory store
        await().atMost(Duration.ofSeconds(60)).until(() -> onHand("milk-oat") == 10_000);
    }

    @AfterAll
    void stop() {
        standalone.close();
    }

    @Test
    void placePayPrepareAndPickUp() throws Exception {
        long beansBefore = onHand("espresso-beans");
        long oatBefore = onHand("milk-oat");
        String orderId = api.placeOrder("""
                {"shopId":"berlin-kreuzberg","customerId":"cust-1","items":[{"menuItemId":"latte","quantity":2,"size":"large","options":["oat"]}]}""", Map.of());

        JsonNode priced = awaitUntil(orderId, OrderLifecycleIntegrationTest::awaitsOnlyPayment);
        assertThat(priced.get("total").get("amountMinor").asLong()).as("2 x (3.80 + 0.60 large + 0.50 oat)").isEqualTo(980);
        assertThat(texts(priced.get("pendingChecks"))).containsExactly("FRAUD", "PAYMENT");
        assertThat(stock("milk-oat").get("reserved").asLong()).isEqualTo(600);

        assertThat(api.post("/api/v1/orders/" + orderId + "/payments",
                "{\"method\":\"CARD\",\"amount\":{\"amountMinor\":980,\"currency\":\"EUR\"}}", Map.of()).statusCode()).isEqualTo(202);
        assertThat(waitFor(orderId, "VALIDATED").get("status").asText()).isEqualTo("VALIDATED");

        JsonNode queue = ApiClient.json(api.get("/api/v1/shops/" + SHOP + "/orders?state=VALIDATED"));
        assertThat(queue.get("orders").findValuesAsText("orderId")).contains(orderId);

        barista(orderId, "start");
        assertThat(waitFor(orderId, "IN_PREPARATION").get("status").asText()).isEqualTo("IN_PREPARATION");
        barista(orderId, "ready");
        JsonNode ready = waitFor(orderId, "READY");
        String code = ready.get("pickupCode").asText();
        assertThat(code).hasSize(4);

        assertThat(api.post("/api/v1/orders/" + orderId + "/claim", "{\"pickupCode\":\"" + code + "\"}", Map.of())
                .statusCode()).isEqualTo(202);
        assertThat(waitFor(orderId, "PICKED_UP").get("status").asText()).isEqualTo("PICKED_UP");

        // 2 large lattes: 2 x 27 g beans, 2 x 300 ml oat milk, consumed
        await().atMost(Duration.ofSeconds(10)).until(() -> stock("milk-oat").get("reserved").asLong() == 0);
        assertThat(onHand("milk-oat")).isEqualTo(oatBefore - 600);
        assertThat(onHand("espresso-beans")).isEqualTo(beansBefore - 54);
        assertThat(ApiClient.json(api.get("/api/v1/shops/" + SHOP + "/orders")).get("orders").findValuesAsText("orderId"))
                .doesNotContain(orderId);
        await().atMost(Duration.ofSeconds(10)).until(() -> ApiClient.json(api.get("/api/v1/shops/" + SHOP + "/stats"))
                .get("summary").get("ordersPickedUp").asLong() >= 1);
        JsonNode stats = ApiClient.json(api.get("/api/v1/shops/" + SHOP + "/stats")).get("summary");
        assertThat(stats.get("revenue").get("amountMinor").asLong()).isGreaterThanOrEqualTo(980);
        assertThat(stats.get("averagePreparationSeconds").isNumber()).isTrue();
        assertThat(stats.get("topItems").findValuesAsText("menuItemId")).contains("latte");
    }

    @Test
    void aLongPollReturnsWithinASecondOfTheChange() throws Exception {
        String orderId = api.placeOrder("""
                {"shopId":"berlin-kreuzberg","customerId":"cust-2","items":[{"menuItemId":"espresso","quantity":1}]}""", Map.of());
        awaitUntil(orderId, OrderLifecycleIntegrationTest::awaitsOnlyPayment);

        CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return api.get("/api/v1/orders/" + orderId + "?waitFor=VALIDATED&timeout=20s");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300); // the poll is waiting
        long paidAt = System.nanoTime();
        api.post("/api/v1/orders/" + orderId + "/payments",
                "{\"method\":\"CASH\",\"amount\":{\"amountMinor\":250,\"currency\":\"EUR\"}}", Map.of());
        HttpResponse<String> response = poll.get();
        java.time.Instant answeredAt = java.time.Instant.now();
        long millis = (System.nanoTime() - paidAt) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Brewstream-Wait")).hasValue("reached");
        JsonNode order = ApiClient.json(response);
        assertThat(order.get("status").asText()).isEqualTo("VALIDATED");
        long sinceChange = Duration.between(java.time.Instant.parse(order.get("updatedAt").asText()), answeredAt).toMillis();
        assertThat(sinceChange).as("answered %d ms after the order became VALIDATED (%d ms after the payment)",
                sinceChange, millis).isLessThan(1_000);
    }

    @Test
    void aLongPollTimesOutWithTheCurrentState() throws Exception {
        String orderId = api.placeOrder("""
                {"shopId":"berlin-kreuzberg","customerId":"cust-3","items":[{"menuItemId":"espresso","quantity":1}]}""", Map.of());
        awaitUntil(orderId, OrderLifecycleIntegrationTest::awaitsOnlyPayment);

        long start = System.nanoTime();
        HttpResponse<String> response = api.get("/api/v1/orders/" + orderId + "?waitFor=VALIDATED&timeout=1s");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Brewstream-Wait")).hasValue("timeout");
        assertThat(ApiClient.json(response).get("status").asText()).isEqualTo("PLACED");
        assertThat(millis).isBetween(1_000L, 3_000L);
    }

    @Test
    void aCancelledOrderCannotBeClaimedAndReleasesItsStock() throws Exception {
        String orderId = api.placeOrder("""
                {"shopId":"berlin-kreuzberg","customerId":"cust-4","items":[{"menuItemId":"chai-latte","quantity":1}]}""", Map.of());
        awaitUntil(orderId, OrderLifecycleIntegrationTest::awaitsOnlyPayment);
        await().atMost(Duration.ofSeconds(10)).until(() -> stock("chai-concentrate").get("reserved").asLong() == 60);

        api.post("/api/v1/orders/" + orderId + "/cancel", "{\"reason\":\"changed my mind\"}", Map.of());
        assertThat(waitFor(orderId, "CANCELLED").get("reasons").get(0).asText()).contains("changed my mind");
        api.post("/api/v1/orders/" + orderId + "/claim", "{\"pickupCode\":\"ABCD\"}", Map.of());

        await().atMost(Duration.ofSeconds(10)).until(() -> stock("chai-concentrate").get("reserved").asLong() == 0);
        JsonNode order = ApiClient.json(api.get("/api/v1/orders/" + orderId));
        assertThat(order.get("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void anOrderPlacedAfterAPriceChangeIsPricedAtTheNewPrice() throws Exception {
        MenuItem americano = DemoData.menu().stream().filter(m -> m.getMenuItemId().equals("americano")).findFirst().orElseThrow();
        Serde<MenuItem> serde = Topics.MENU_ITEMS.valueSerde(AvroSerdes.forRegistry(standalone.registry().apiUrl()));
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", standalone.bootstrapServers()),
                new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(Topics.MENU_ITEMS.name(), "americano",
                    MenuItem.newBuilder(americano).setBasePrice(Amounts.of(330, "EUR")).build())).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> price = api.get("/api/v1/shops/" + SHOP + "/prices/americano");
            return price.statusCode() == 200 && ApiClient.json(price).get("amountMinor").asLong() == 330;
        });

        String orderId = api.placeOrder("""
                {"shopId":"berlin-kreuzberg","customerId":"cust-5","items":[{"menuItemId":"americano","quantity":2}]}""", Map.of());
        JsonNode priced = awaitUntil(orderId, o -> o.get("total").isObject());
        assertThat(priced.get("total").get("amountMinor").asLong()).isEqualTo(660);

        JsonNode history = ApiClient.json(api.get("/api/v1/shops/" + SHOP + "/prices/americano/history"));
        assertThat(history.get("changes").findValuesAsText("reason")).anyMatch(r -> r.contains("base price now 3.30 EUR"));
        assertThat(ApiClient.json(api.get("/api/v1/shops/" + SHOP + "/prices")).get("prices").findValuesAsText("menuItemId"))
                .contains("americano", "latte");
    }

    @Test
    void anOrdinaryOrderIsApprovedByFraudScoringAndABurstFromOneDeviceIsRejected() throws Exception {
        String ordinary = api.placeOrder("""
                {"shopId":"berlin-kreuzberg","customerId":"cust-ordinary","items":[{"menuItemId":"espresso","quantity":1}]}""",
                Map.of("X-Device-Id", "phone-ordinary"));
        awaitUntil(ordinary, OrderLifecycleIntegrationTest::awaitsOnlyPayment);
        pay(ordinary, 250);
        assertThat(waitFor(ordinary, "VALIDATED").get("status").asText()).isEqualTo("VALIDATED");
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/customers/cust-ordinary/risk").statusCode() == 200);
        JsonNode risk = ApiClient.json(api.get("/api/v1/customers/cust-ordinary/risk"));
        assertThat(risk.get("lastScore").get("decision").asText()).isEqualTo("APPROVE");
        assertThat(risk.get("trustScore").asDouble()).isGreaterThan(0.5);

        // six customers on one phone within a minute: the sixth is more than five orders from one device and
        // more than three customers on it
        String last = null;
        for (int i = 0; i < 6; i++) {
            last = api.placeOrder("{\"shopId\":\"berlin-kreuzberg\",\"customerId\":\"burst-" + i
                    + "\",\"items\":[{\"menuItemId\":\"espresso\",\"quantity\":1}]}", Map.of("X-Device-Id", "burst-phone"));
            awaitUntil(last, OrderLifecycleIntegrationTest::awaitsOnlyPayment);
            pay(last, 250);
            waitFor(last, "VALIDATED");
        }
        JsonNode rejected = ApiClient.json(api.get("/api/v1/orders/" + last));
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        // the customer reads a customer-facing reason; the rules and their evidence are for analysts only
        assertThat(texts(rejected.get("reasons"))).singleElement().satisfies(r -> assertThat(r)
                .startsWith("fraud: we could not accept this order").doesNotContain("device"));
        JsonNode alerts = ApiClient.json(api.get("/api/v1/fraud/alerts"));
        assertThat(alerts.get("alerts").findValuesAsText("orderId")).contains(last);
        assertThat(alerts.get("alerts").findValuesAsText("rule")).contains("device-many-customers-1h", "device-velocity-10m");
        assertThat(api.get("/api/v1/fraud/alerts", api.customerToken("burst-5")).statusCode()).isEqualTo(403);
        assertThat(api.get("/api/v1/customers/burst-5/risk", api.customerToken("burst-5")).statusCode()).isEqualTo(403);
    }

    private void pay(String orderId, long amountMinor) throws Exception {
        assertThat(api.post("/api/v1/orders/" + orderId + "/payments",
                "{\"method\":\"CARD\",\"amount\":{\"amountMinor\":" + amountMinor + ",\"currency\":\"EUR\"}}", Map.of())
                .statusCode()).isEqualTo(202);
    }

    @Test
    void aMenuPriceChangedInTheDatabasePricesTheNextOrder() throws Exception {
        sql("UPDATE menu_items SET base_price_minor = 450 WHERE menu_item_id = 'flat-white'");
        awaitMenuItem("flat-white", item -> item.getBasePrice().getAmountMinor() == 450);

        String orderId = api.placeOrder("""
                {"shopId":"berlin-kreuzberg","customerId":"cust-7","items":[{"menuItemId":"flat-white","quantity":2,"size":"medium"}]}""", Map.of());
        JsonNode priced = awaitUntil(orderId, order -> order.hasNonNull("total"));
        assertThat(priced.get("total").get("amountMinor").asLong()).as("2 x the new 4.50").isEqualTo(900);
    }

    @Test
    void aDeliveryInsertedInTheDatabaseRaisesTheStockThatIsShown() throws Exception {
        long before = onHand("croissant");
        sql("INSERT INTO stock_deliveries (delivery_id, shop_id, items, supplier) VALUES ('bakery-" + UUID.randomUUID()
                + "', '" + SHOP + "', '[{\"ingredientId\": \"croissant\", \"quantity\": 24, \"unit\": \"PIECE\"}]',"
                + " 'Bakery Zeit')");

        await().atMost(Duration.ofSeconds(30)).until(() -> onHand("croissant") == before + 24);
    }

    private void sql(String statement) throws Exception {
        try (Connection connection = standalone.database().connect(); Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    private void awaitMenuItem(String menuItemId, java.util.function.Predicate<MenuItem> condition) {
        Deserializer<MenuItem> values = Topics.MENU_ITEMS.valueSerde(AvroSerdes.forRegistry(standalone.registry().apiUrl()))
                .deserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, standalone.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, Topics.MENU_ITEMS.partitions())
                    .mapToObj(p -> new TopicPartition(Topics.MENU_ITEMS.name(), p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    if (menuItemId.equals(record.key()) && record.value() != null
                            && condition.test(values.deserialize(record.topic(), record.value()))) {
                        return true;
                    }
                }
                return false;
            });
        }
    }

    /** Priced and stock reserved: only the payment and the fraud check that waits for it remain. */
    private static boolean awaitsOnlyPayment(JsonNode order) {
        return order.get("total").isObject() && texts(order.get("pendingChecks")).equals(java.util.List.of("FRAUD", "PAYMENT"));
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> texts = new java.util.ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private void barista(String orderId, String action) throws Exception {
        assertThat(api.post("/api/v1/orders/" + orderId + "/" + action, "{}", Map.of())
                .statusCode()).isEqualTo(202);
    }

    private JsonNode waitFor(String orderId, String status) throws Exception {
        HttpResponse<String> response = api.get("/api/v1/orders/" + orderId + "?waitFor=" + status + "&timeout=15s");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiClient.json(response);
    }

    private JsonNode awaitUntil(String orderId, java.util.function.Predicate<JsonNode> condition) {
        Map<String, JsonNode> last = new HashMap<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            HttpResponse<String> response = api.get("/api/v1/orders/" + orderId);
            if (response.statusCode() != 200) {
                return false;
            }
            last.put("order", ApiClient.json(response));
            return condition.test(last.get("order"));
        });
        return last.get("order");
    }

    private long onHand(String ingredient) throws Exception {
        JsonNode level = stock(ingredient);
        return level == null ? -1 : level.get("onHand").asLong();
    }

    private JsonNode stock(String ingredient) throws Exception {
        HttpResponse<String> response = api.get("/api/v1/shops/" + SHOP + "/stock");
        if (response.statusCode() != 200) {
            return null;
        }
        for (JsonNode level : ApiClient.json(response).get("ingredients")) {
            if (level.get("ingredientId").asText().equals(ingredient)) {
                return level;
            }
        }
        return null;
    }
}

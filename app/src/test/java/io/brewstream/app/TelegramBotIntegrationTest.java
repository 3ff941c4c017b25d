package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.brewstream.platform.http.Json;
import io.brewstream.platform.security.Role;

/**
 * A Telegram chat orders on the standalone stack, end to end on the real broker: the webhook takes Update JSON
 * as Telegram sends it, the bots topology converses, and the sender answers through a local server that stands in
 * for the Bot API. The chat links with a code from the app, orders with buttons, is told its total and, once the
 * barista marks it ready, its pickup code; the barista claims the order with that code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelegramBotIntegrationTest {
    private static final String SECRET = "webhook-secret_1";
    private static final String TOKEN = "777:bot-token";
    private static final long CHAT = 5150L;

    private final List<JsonNode> sent = new CopyOnWriteArrayList<>();
    private HttpServer telegram;
    private Standalone standalone;
    private ApiClient api;
    private Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();
    private long updateId = 900_000;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        this.dataDir = dataDir;
        telegram = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        telegram.createContext("/bot" + TOKEN + "/", exchange -> {
            JsonNode body = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            String method = exchange.getRequestURI().getPath().replaceAll(".*/", "");
            if (method.equals("sendMessage") || method.equals("editMessageText")) {
                sent.add(body); // an edit answers as Telegram does: the edited Message
            }
            byte[] answer = (method.equals("sendMessage") || method.equals("editMessageText")
                    ? "{\"ok\":true,\"result\":{\"message_id\":" + sent.size() + ",\"date\":1,\"chat\":{\"id\":"
                            + body.path("chat_id").asLong() + ",\"type\":\"private\"}}}"
                    : method.equals("getWebhookInfo")
                            ? "{\"ok\":true,\"result\":{\"url\":\"https://shop.example.com/bots/telegram/brewbot\","
                                    + "\"has_custom_certificate\":false,\"pending_update_count\":3,"
                                    + "\"last_error_date\":1764061200,\"last_error_message\":\"Connection timed out\","
                                    + "\"max_connections\":40}}"
                            : "{\"ok\":true,\"result\":true}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        telegram.start();
        Map<String, String> settings = Map.of(
                "BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS", "brewbot=" + SECRET,
                "BREWSTREAM_TELEGRAM_BOT_TOKENS", "brewbot=" + TOKEN,
                "BREWSTREAM_TELEGRAM_API_URL", "http://127.0.0.1:" + telegram.getAddress().getPort());
        standalone = StandaloneSettingsForTests.startWith(dataDir, settings);
        assertThat(standalone.awaitReady(Duration.ofMinutes(2))).isTrue();
        api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
    }

    @AfterAll
    void stop() {
        if (standalone != null) {
            standalone.close();
        }
        if (telegram != null) {
            telegram.stop(0);
        }
    }

    private HttpResponse<String> deliver(String updateJson, String secret) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(standalone.httpUrl() + "/bots/telegram/brewbot"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(updateJson));
        if (secret != null) {
            request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A text message as Telegram's Update JSON has it. */
    private String message(String text) {
        long id = ++updateId;
        return """
                {"update_id":%d,"message":{"message_id":%d,"from":{"id":99,"is_bot":false,"first_name":"Carla",
                 "username":"carla_c","language_code":"de"},"chat":{"id":%d,"first_name":"Carla","username":"carla_c",
                 "type":"private"},"date":%d,"text":%s}}""".formatted(id, id, CHAT, Instant.now().getEpochSecond(),
                Json.mapper().valueToTree(text).toString());
    }

    private String press(String data) {
        long id = ++updateId;
        return """
                {"update_id":%d,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":99,"is_bot":false,
                 "first_name":"Carla"},"message":{"message_id":7,"from":{"id":777,"is_bot":true,"first_name":"brewbot"},
                 "chat":{"id":%d,"type":"private"},"date":%d,"text":"..."},"chat_instance":"-1","data":%s}}"""
                .formatted(id, CHAT, Instant.now().getEpochSecond(), Json.mapper().valueToTree(data).toString());
    }

    private boolean waitFor(String containing, Duration atMost) {
        try {
            await().atMost(atMost).until(() -> sent.stream().anyMatch(m -> m.path("text").asText().contains(containing)));
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException notYet) {
            return false;
        }
    }

    private JsonNode awaitReply(String containing) {
        await().atMost(Duration.ofSeconds(30)).until(() -> sent.stream().anyMatch(m -> m.path("text").asText().contains(containing)));
        return sent.stream().filter(m -> m.path("text").asText().contains(containing)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aLinkedChatOrdersIsToldItsPickupCodeAndTheOrderIsClaimedWithIt() throws Exception {
        assertThat(deliver(message("/help"), null).statusCode()).isEqualTo(401);
        assertThat(deliver(message("/help"), "wrong").statusCode()).isEqualTo(401);
        assertThat(deliver("{\"message\":{}}", SECRET).statusCode()).isEqualTo(400);
        assertThat(deliver("{\"update_id\":1,\"my_chat_member\":{\"chat\":{\"id\":1}}}", SECRET).statusCode()).isEqualTo(200);

        // the customer asks the app for a link code and sends it to the bot
        HttpResponse<String> link = api.post("/api/v1/customers/me/chat-links", "{}",
                Map.of("Authorization", api.customerToken("cust-telegram")));
        assertThat(link.statusCode()).isEqualTo(201);
        String code = Json.mapper().readTree(link.body()).get("code").asText();
        // the code reaches the bots' global store a moment after the app issued it; a customer who is quicker than
        // that is told the code is unknown and sends it again, as this test does
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            deliver(message("/start " + code), SECRET);
            return waitFor("now orders for your account", Duration.ofSeconds(3));
        });

        // Telegram's retry of an update (same update_id) is answered once
        String help = message("/help");
        assertThat(deliver(help, SECRET).statusCode()).isEqualTo(200);
        assertThat(deliver(help, SECRET).statusCode()).as("Telegram's retry").isEqualTo(200);
        awaitReply("Commands:");

        deliver(message("/order flat white oat at mitte"), SECRET);
        JsonNode confirm = awaitReply("Priced by the shop");
        assertThat(confirm.path("chat_id").asLong()).isEqualTo(CHAT);
        String confirmData = confirm.path("reply_markup").path("inline_keyboard").get(0).get(0).path("callback_data").asText();
        deliver(press(confirmData), SECRET);
        JsonNode ordered = awaitReply("Ordered");
        assertThat(ordered.path("message_id").asLong()).as("the confirmation message itself says so (editMessageText)")
                .isEqualTo(7);
        assertThat(ordered.path("reply_markup").path("inline_keyboard")).as("its buttons gone").isEmpty();
        assertThat(sent.stream().filter(m -> m.path("text").asText().startsWith("Commands:")).count())
                .as("the redelivered /help answered once").isEqualTo(1);

        // the shop sees it, takes cash, prepares it
        String staff = api.token(Role.STAFF, "berlin-mitte");
        await().atMost(Duration.ofSeconds(30)).until(() -> ordersOf("cust-telegram", staff).isPresent());
        JsonNode order = ordersOf("cust-telegram", staff).orElseThrow();
        String orderId = order.get("orderId").asText();
        assertThat(order.get("channel").asText()).isEqualTo("TELEGRAM");
        awaitReply("Your total");
        await().atMost(Duration.ofSeconds(30)).until(() -> ordersOf("cust-telegram", staff).orElseThrow().path("total").has("amountMinor"));
        long total = ordersOf("cust-telegram", staff).orElseThrow().path("total").path("amountMinor").asLong();
        api.post("/api/v1/orders/" + orderId + "/payments", "{\"method\":\"CASH\",\"amount\":{\"amountMinor\":" + total
                + ",\"currency\":\"EUR\"}}", Map.of("Authorization", staff));
        awaitReply("Paid and confirmed");
        api.post("/api/v1/orders/" + orderId + "/start", "", Map.of("Authorization", staff));
        await().atMost(Duration.ofSeconds(20)).until(() -> "IN_PREPARATION".equals(ordersOf("cust-telegram", staff)
                .map(o -> o.path("status").asText()).orElse("")));
        api.post("/api/v1/orders/" + orderId + "/ready", "", Map.of("Authorization", staff));

        // only the chat that ordered is told the code; the customer shows it, the barista claims with it
        String ready = awaitReply("pickup code").path("text").asText();
        String pickupCode = ready.replaceAll(".*pickup code is ([A-Z0-9]+).*", "$1");
        assertThat(pickupCode).hasSize(4);
        assertThat(api.post("/api/v1/orders/" + orderId + "/claim", "{\"pickupCode\":\"" + pickupCode + "\"}",
                Map.of("Authorization", staff)).statusCode()).isEqualTo(202);
        awaitReply("Enjoy");
        assertThat(sent).allSatisfy(m -> assertThat(m.path("chat_id").asLong()).isEqualTo(CHAT));

        // what Telegram says of the webhook, and what the sender did, as metrics
        String scrape = "Bearer " + java.nio.file.Files.readString(Identity.scrapeTokenFile(dataDir)).trim();
        String metrics = api.get("/metrics", scrape).body();
        assertThat(metrics).containsPattern("brewstream_bots_webhook_pending_updates\\{bot=\"brewbot\"[^}]*} 3\\.0")
                .containsPattern("brewstream_bots_webhook_last_error_seconds\\{bot=\"brewbot\"[^}]*} 1\\.7640612E9")
                .containsPattern("brewstream_bots_sends_total\\{[^}]*result=\"SENT\"} [1-9]")
                .containsPattern("brewstream_bots_updates_total\\{bot=\"brewbot\",kind=\"button\",platform=\"telegram\"[^}]*} [1-9]");
        // the conversation's counts are Kafka Streams sensors, made when the application starts and bound to the
        // registry once it runs (Micrometer itself looks for new ones once a minute): every platform's series is
        // there, at zero where nothing happened
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(api.get("/metrics", scrape).body())
                        .containsPattern("kafka_stream_bots_command_order_total\\{[^}]*bots_id=\"telegram\"[^}]*} [1-9]")
                        .containsPattern("kafka_stream_bots_order_placed_total\\{[^}]*bots_id=\"telegram\"[^}]*} 1\\.0")
                        .containsPattern("kafka_stream_bots_order_placed_total\\{[^}]*bots_id=\"slack\"[^}]*} 0\\.0"));
    }

    private Optional<JsonNode> ordersOf(String customer, String staffToken) throws Exception {
        HttpResponse<String> queue = api.get("/api/v1/shops/berlin-mitte/orders", staffToken);
        if (queue.statusCode() != 200) {
            return Optional.empty();
        }
        for (JsonNode order : Json.mapper().readTree(queue.body()).path("orders")) {
            if (order.path("customerId").asText().equals(customer)) {
                return Optional.of(order);
            }
        }
        return Optional.empty();
    }
}

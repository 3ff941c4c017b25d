package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.brewstream.embedded.junit.OpenAiCompatibleServer;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.security.Role;

/**
 * The agents that work with people, on the standalone stack over the real broker, with Telegram and a language model
 * answered by local servers that speak their APIs: a customer's chat question answered by the shop assistant from the
 * shop's menu and prices (a follow-up with the earlier turns); the beverage inventor's proposal put to the shop's
 * staff chat and approved there with its answer code; a second proposal answered on the dashboard in headless
 * Chromium; the scheduler's shifts from the orders placed.
 */
class AgentsWithPeopleIntegrationTest {
    private static final String SECRET = "webhook-secret_2";
    private static final String TOKEN = "778:bot-token";
    private static final long CUSTOMER_CHAT = 5151L;
    private static final long STAFF_CHAT = -1005252L;
    private static final String SHOP = "berlin-mitte";

    private final List<JsonNode> sent = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private long updateId = 700_000;

    @Test
    void aQuestionIsAnsweredAProposalIsApprovedInTheStaffChatAndOnTheDashboardAndShiftsAreProposed(@TempDir Path dataDir)
            throws Exception {
        HttpServer telegram = telegram();
        try (OpenAiCompatibleServer model = OpenAiCompatibleServer.start("sk-local", Set.of("shop-model"))) {
            model.answer(r -> r.last("user").contains("oat")
                    ? OpenAiCompatibleServer.Answer.of("Yes, ", "we have oat milk: ", "+0.50 EUR on any coffee.")
                    : OpenAiCompatibleServer.Answer.of("A mocha is 4.20 EUR, ", "with oat milk 4.70 EUR."));
            Map<String, String> settings = Map.of(
                    "BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS", "brewbot=" + SECRET,
                    "BREWSTREAM_TELEGRAM_BOT_TOKENS", "brewbot=" + TOKEN,
                    "BREWSTREAM_TELEGRAM_API_URL", "http://127.0.0.1:" + telegram.getAddress().getPort(),
                    "BREWSTREAM_LLM_URL", model.baseUrl(), "BREWSTREAM_LLM_MODEL", "shop-model",
                    "BREWSTREAM_LLM_API_KEY", "sk-local", "BREWSTREAM_AGENTS_HEARTBEAT", "1s");
            try (Standalone standalone = StandaloneSettingsForTests.startWith(dataDir, settings)) {
                assertThat(standalone.awaitReady(Duration.ofMinutes(2))).isTrue();
                ApiClient api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(ApiClient.json(api.get("/.well-known/agent-card.json")).path("skills"))
                                .extracting(s -> s.path("id").asText())
                                .contains("answer-question", "invent-beverage", "propose-shifts", "notify-staff"));

                customerAsks(standalone, model);
                String manager = api.token(Role.MANAGER, SHOP);
                linkStaffChat(standalone, api, manager);
                proposalApprovedInTheStaffChat(standalone, api, manager);
                proposalAnsweredOnTheDashboard(standalone, api, manager);
                shiftsFromTheOrders(api, manager);
            }
        } finally {
            telegram.stop(0);
        }
    }

    private void customerAsks(Standalone standalone, OpenAiCompatibleServer model) throws Exception {
        deliver(standalone, message(CUSTOMER_CHAT, "private", "Do you have oat milk at berlin-mitte?"));
        JsonNode answer = awaitSent(CUSTOMER_CHAT, "we have oat milk");
        assertThat(answer.path("text").asText()).isEqualTo("Yes, we have oat milk: +0.50 EUR on any coffee.");
        OpenAiCompatibleServer.Request asked = model.requests().get(0);
        assertThat(asked.body().path("stream").asBoolean()).isTrue();
        assertThat(asked.last("system")).contains("You are the chat assistant of brewstream Mitte")
                .contains("- Caffè Latte (latte): 3.80 EUR").contains("oat +0.50 EUR")
                .contains("The shop is open and taking orders now.");
        assertThat(asked.last("user")).isEqualTo("Do you have oat milk at berlin-mitte?");

        // a follow-up in the same chat goes with the earlier question and answer
        deliver(standalone, message(CUSTOMER_CHAT, "private", "/ask and a mocha?"));
        awaitSent(CUSTOMER_CHAT, "A mocha is 4.20 EUR");
        OpenAiCompatibleServer.Request followUp = model.requests().get(model.requests().size() - 1);
        assertThat(followUp.body().path("messages")).extracting(m -> m.path("role").asText()).containsExactly(
                "system", "user", "assistant", "user");
        assertThat(followUp.last("assistant")).startsWith("Yes, we have oat milk");
    }

    private void linkStaffChat(Standalone standalone, ApiClient api, String manager) throws Exception {
        HttpResponse<String> link = api.post("/api/v1/shops/" + SHOP + "/staff-chat-links", "{}",
                Map.of("Authorization", manager));
        assertThat(link.statusCode()).isEqualTo(201);
        String code = ApiClient.json(link).path("code").asText();
        // the code reaches the bots' global store a moment after it was issued: a quicker person is told it is
        // unknown and sends it again, as this test does
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            deliver(standalone, message(STAFF_CHAT, "group", "/start " + code));
            return sentWithin(STAFF_CHAT, "staff alerts of brewstream Mitte", Duration.ofSeconds(2));
        });
    }

    private void proposalApprovedInTheStaffChat(Standalone standalone, ApiClient api, String manager) throws Exception {
        JsonNode task = rpc(api, manager, "SendMessage", """
                {"message":{"messageId":"invent-1","role":"ROLE_USER","parts":[{"data":{"shopId":"berlin-mitte"}}]},
                 "metadata":{"skill":"invent-beverage","deadline":"PT2H"}}""").path("result").path("task");
        assertThat(task.path("status").path("state").asText()).isEqualTo("TASK_STATE_INPUT_REQUIRED");
        String taskId = task.path("id").asText();
        // the demo's beans stand at ten times their threshold and only the chai latte lacks them: a dirty chai
        JsonNode proposal = task.path("artifacts").get(0);
        assertThat(proposal.path("name").asText()).isEqualTo("beverage-proposal");
        JsonNode data = proposal.path("parts").get(1).path("data");
        assertThat(data.path("name").asText()).isEqualTo("Espresso Chai Latte");
        assertThat(data.path("priceMinor").asLong()).as("4.00 EUR + its oat add-on").isEqualTo(450);
        assertThat(data.path("priceMinor").asLong()).isBetween(data.path("minPriceMinor").asLong(),
                data.path("maxPriceMinor").asLong());

        // the question waits on the dashboard's read, with its code, and in the staff chat
        JsonNode question = awaitQuestion(api, manager, taskId);
        String code = question.path("answerCode").asText();
        assertThat(question.path("defaultReply").asText()).isEqualTo("no");
        assertThat(Instant.parse(question.path("replyBy").asText())).isAfter(Instant.now().plus(Duration.ofMinutes(25)));
        JsonNode asked = awaitSent(STAFF_CHAT, "/answer " + code + " yes");
        assertThat(asked.path("text").asText()).startsWith("New drink for brewstream Mitte: Espresso Chai Latte at 4.50 EUR");
        // another shop's manager sees nothing of it
        assertThat(ApiClient.json(api.get("/api/v1/agents", api.token(Role.MANAGER, "berlin-kreuzberg")))
                .path("questions")).isEmpty();

        deliver(standalone, message(STAFF_CHAT, "group", "/answer " + code.toLowerCase() + " yes, add it"));
        awaitSent(STAFF_CHAT, "Approved: Espresso Chai Latte at 4.50 EUR for berlin-mitte");
        JsonNode done = awaitState(api, manager, taskId, "TASK_STATE_COMPLETED");
        JsonNode decision = done.path("artifacts").get(1);
        assertThat(decision.path("name").asText()).isEqualTo("approved-beverage");
        assertThat(decision.path("parts").get(1).path("data").path("answer").asText()).isEqualTo("yes, add it");
        JsonNode history = ApiClient.json(api.get("/api/v1/agents/contexts/" + done.path("contextId").asText(), manager));
        assertThat(history.path("entries")).anySatisfy(e -> assertThat(e.path("author").asText())
                .startsWith("staff chat telegram:brewbot:" + STAFF_CHAT));
    }

    private void proposalAnsweredOnTheDashboard(Standalone standalone, ApiClient api, String manager) throws Exception {
        String taskId = rpc(api, manager, "SendMessage", """
                {"message":{"messageId":"invent-2","role":"ROLE_USER","parts":[{"data":{"shopId":"berlin-mitte"}}]},
                 "metadata":{"skill":"invent-beverage","deadline":"PT2H"},"configuration":{"returnImmediately":true}}""")
                .path("result").path("task").path("id").asText();
        awaitQuestion(api, manager, taskId);
        try (HeadlessChromium browser = HeadlessChromium.start(Path.of("..").toAbsolutePath().normalize())) {
            browser.openDashboard(standalone.httpUrl(), SHOP, manager);
            String form = "document.querySelector('[data-question=\"" + taskId + "\"]')";
            await().atMost(Duration.ofSeconds(20)).until(() -> browser.evaluate(form + " !== null").asBoolean());
            assertThat(browser.evaluate(form + ".textContent").asText()).contains("Add Espresso Chai Latte at 4.50 EUR")
                    .contains("then \"no\"");
            browser.evaluate(form + ".elements.answer.value = 'no, not this week'; " + form + ".requestSubmit(); true");
            await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(browser.evaluate(form
                    + ".querySelector('.sent').textContent").asText()));
            browser.screenshot(Path.of("target", "dashboard-agents-question.png"));
        }
        JsonNode done = awaitState(api, manager, taskId, "TASK_STATE_COMPLETED");
        assertThat(done.path("artifacts").get(1).path("name").asText()).isEqualTo("declined-beverage");
        assertThat(done.path("artifacts").get(1).path("parts").get(0).path("text").asText())
                .isEqualTo("Declined: Espresso Chai Latte for berlin-mitte (the answer was \"no, not this week\").");
    }

    private void shiftsFromTheOrders(ApiClient api, String manager) throws Exception {
        for (int i = 0; i < 3; i++) {
            api.placeOrder("{\"customerId\":\"cust-42\",\"shopId\":\"berlin-mitte\",\"items\":[{\"menuItemId\":\"latte\","
                    + "\"quantity\":1}]}", Map.of("Idempotency-Key", "shift-" + i));
        }
        int hour = Instant.now().atZone(ZoneId.of("Europe/Berlin")).getHour();
        String day = Instant.now().atZone(ZoneId.of("Europe/Berlin")).getDayOfWeek().name();
        // the scheduler reads the orders as they are placed: ask until all three count
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode task = rpc(api, manager, "SendMessage", """
                    {"message":{"messageId":"shifts-%d","role":"ROLE_USER","parts":[{"data":{"shopId":"berlin-mitte"}}]},
                     "metadata":{"skill":"propose-shifts"}}""".formatted(System.nanoTime())).path("result").path("task");
            assertThat(task.path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
            JsonNode plan = task.path("artifacts").get(0).path("parts").get(1).path("data");
            assertThat(plan.path("weeksSeen").asInt()).isEqualTo(1);
            assertThat(plan.path("timezone").asText()).isEqualTo("Europe/Berlin");
            // three orders in this hour: one barista for a shift of four hours (the shortest) that covers it
            assertThat(plan.path("shifts")).singleElement().satisfies(s -> {
                assertThat(s.path("day").asText()).isEqualTo(day);
                int from = Integer.parseInt(s.path("from").asText().substring(0, 2));
                int to = Integer.parseInt(s.path("to").asText().substring(0, 2));
                assertThat(to - from).isEqualTo(4);
                assertThat(hour).isBetween(from, to - 1);
            });
            assertThat(plan.path("baristaHours").asInt()).isEqualTo(4);
        });
    }

    // --- helpers ---

    private JsonNode awaitQuestion(ApiClient api, String manager, String taskId) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode q : ApiClient.json(api.get("/api/v1/agents", manager)).path("questions")) {
                if (q.path("taskId").asText().equals(taskId)) {
                    found[0] = q;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static JsonNode awaitState(ApiClient api, String manager, String taskId, String state) {
        JsonNode[] task = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            task[0] = rpc(api, manager, "GetTask", "{\"id\":\"" + taskId + "\"}").path("result");
            return state.equals(task[0].path("status").path("state").asText());
        });
        return task[0];
    }

    private static JsonNode rpc(ApiClient api, String token, String method, String params) throws Exception {
        HttpResponse<String> response = api.post("/a2a", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method
                + "\",\"params\":" + params + "}", Map.of("Authorization", token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = ApiClient.json(response);
        assertThat(body.has("error")).as(response.body()).isFalse();
        return body;
    }

    /** A local server that answers as the Bot API does and keeps what the bot sent. */
    private HttpServer telegram() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/bot" + TOKEN + "/", exchange -> {
            JsonNode body = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            String method = exchange.getRequestURI().getPath().replaceAll(".*/", "");
            boolean message = method.equals("sendMessage") || method.equals("editMessageText");
            if (message) {
                sent.add(body);
            }
            byte[] answer = (message ? "{\"ok\":true,\"result\":{\"message_id\":" + sent.size() + ",\"date\":1,\"chat\":"
                    + "{\"id\":" + body.path("chat_id").asLong() + ",\"type\":\"private\"}}}"
                    : "{\"ok\":true,\"result\":true}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    private void deliver(Standalone standalone, String update) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(standalone.httpUrl()
                        + "/bots/telegram/brewbot")).header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", SECRET).POST(HttpRequest.BodyPublishers.ofString(update))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** A text message as Telegram's Update JSON has it. */
    private String message(long chat, String type, String text) {
        long id = ++updateId;
        return """
                {"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Sam"},
                 "chat":{"id":%d,"type":"%s"},"date":%d,"text":%s}}""".formatted(id, id, 40 + chat % 7, chat, type,
                Instant.now().getEpochSecond(), Json.mapper().valueToTree(text).toString());
    }

    private boolean sentWithin(long chat, String containing, Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> sent.stream().anyMatch(m ->
                    m.path("chat_id").asLong() == chat && m.path("text").asText().contains(containing)));
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException notYet) {
            return false;
        }
    }

    private JsonNode awaitSent(long chat, String containing) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(sent).as("what the bot sent").anyMatch(m -> m.path("chat_id").asLong() == chat
                        && m.path("text").asText().contains(containing)));
        return sent.stream().filter(m -> m.path("chat_id").asLong() == chat && m.path("text").asText()
                .contains(containing)).reduce((a, b) -> b).orElseThrow();
    }
}

package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.embedded.junit.CommittedRecords;
import io.brewstream.connectors.agents.TopicAgent;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentSkill;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.agents.Artifact;
import io.brewstream.schemas.agents.Part;
import io.brewstream.schemas.agents.PartKind;
import io.brewstream.schemas.bots.Feedback;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.bots.StaffChat;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.inventory.LowStock;
import io.brewstream.schemas.inventory.StockUnit;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;

/**
 * The built-in agents in the standalone stack on the real broker: a low stock and bad feedback become tasks by
 * themselves, the inventory manager and the feedback analyst answer them and the notifier tells the shop's staff
 * chat; and an A2A client streams a task over HTTP, drops the connection and resumes without a gap or a repeat.
 */
class BuiltInAgentsIntegrationTest {
    private static final String SHOP = "berlin-mitte";
    private static final String STAFF_CHAT = "TELEGRAM:brewbot:-1001";

    @Test
    void theAgentsReactToALowStockAndToBadFeedbackAndAStreamResumesWithoutAGap(@TempDir Path dataDir) throws Exception {
        try (Standalone standalone = Standalone.start(StandaloneSettingsForTests.onFreePorts(dataDir))) {
            assertThat(standalone.awaitReady(Duration.ofMinutes(2))).isTrue();
            AvroSerdes serdes = AvroSerdes.forRegistry(standalone.registry().apiUrl());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, standalone.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                builtInAgents(standalone, serdes, producer);
            }
            dashboardPanel(standalone);
            resumableStream(standalone, serdes);
        }
    }

    private static void builtInAgents(Standalone standalone, AvroSerdes serdes, KafkaProducer<String, byte[]> producer)
            throws Exception {
        // a staff chat of the shop, as the bots topology records one when staff link a chat
        send(producer, serdes, Topics.STAFF_CHATS, SHOP + ":" + STAFF_CHAT, StaffChat.newBuilder().setShopId(SHOP)
                .setChatKey(STAFF_CHAT).setPlatform(Channel.TELEGRAM).setBotName("brewbot").setLinkedAt(Instant.now())
                .build());
        // the router knows the built-in agents once their cards are in
        ApiClient api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(ApiClient.json(api.get("/.well-known/agent-card.json")).path("skills"))
                        .extracting(s -> s.path("id").asText())
                        .contains("propose-reorder", "analyze-feedback", "notify-staff"));

        // the inventory topology's low stock and the bots' feedback, as they write them
        send(producer, serdes, Topics.LOW_STOCK, SHOP, LowStock.newBuilder().setShopId(SHOP).setIngredientId("oat-milk")
                .setAvailable(800).setThreshold(1_000).setUnit(StockUnit.MILLILITRE).setDetectedAt(Instant.now()).build());
        send(producer, serdes, Topics.FEEDBACK, SHOP, Feedback.newBuilder().setFeedbackId("fb-" + System.nanoTime())
                .setShopId(SHOP).setText("My latte was cold and the barista was rude").setChannel(Channel.TELEGRAM)
                .setReceivedAt(Instant.now()).build());
        send(producer, serdes, Topics.FEEDBACK, SHOP, Feedback.newBuilder().setFeedbackId("fb-good-" + System.nanoTime())
                .setShopId(SHOP).setText("Delicious flat white, friendly staff").setRating(5).setChannel(Channel.TELEGRAM)
                .setReceivedAt(Instant.now()).build());

        List<OutboundNotification> told = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            told.clear();
            for (OutboundNotification n : read(standalone.bootstrapServers(), serdes, Topics.NOTIFICATIONS)) {
                if (n.getNotificationId().startsWith("agent:")) {
                    told.add(n);
                }
            }
            return told.size() >= 2;
        });
        assertThat(told).allSatisfy(n -> {
            assertThat(n.getRecipient()).isEqualTo(STAFF_CHAT);
            assertThat(n.getBotName()).isEqualTo("brewbot");
        });
        assertThat(told).extracting(OutboundNotification::getText).anySatisfy(text -> assertThat(text)
                .startsWith("Reorder proposal for berlin-mitte:").contains("millilitre of oat-milk", "threshold 1000",
                        "800 available"));
        assertThat(told).extracting(OutboundNotification::getText).anySatisfy(text -> assertThat(text)
                .startsWith("For the shop manager: bad feedback at berlin-mitte").contains("cold (-2)", "rude (-3)"));
        assertThat(told).as("good feedback troubles nobody").noneSatisfy(n -> assertThat(n.getText()).contains("flat white"));

        // the conversations keep what was said: the shop's feedback context has both analyses
        String manager = api.token(Role.MANAGER, SHOP);
        JsonNode conversation = ApiClient.json(api.get("/api/v1/agents/contexts/shop-" + SHOP + "-feedback",
                manager));
        List<String> entries = new ArrayList<>();
        conversation.path("entries").forEach(e -> entries.add(e.path("role").asText() + " " + e.path("state").asText()));
        assertThat(entries).as(conversation.toString()).containsSubsequence("ROLE_USER TASK_STATE_SUBMITTED",
                "ROLE_AGENT TASK_STATE_COMPLETED");
        assertThat(conversation.toString()).contains("feedback-analysis", "\"bad\":true", "\"bad\":false");
        assertThat(api.get("/api/v1/agents/contexts/nobody-talked-here", manager).statusCode())
                .isEqualTo(404);
    }

    /** The agents read and the dashboard's agents panel, live in headless Chromium. */
    private static void dashboardPanel(Standalone standalone) throws Exception {
        ApiClient api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
        String manager = api.token(Role.MANAGER, SHOP);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ApiClient.json(api.get("/api/v1/agents",
                manager)).path("tasksByState").path("COMPLETED").asLong()).isGreaterThanOrEqualTo(5));
        JsonNode overview = ApiClient.json(api.get("/api/v1/agents", manager));
        assertThat(overview.path("agents")).extracting(a -> a.path("agentId").asText() + " " + a.path("up").asBoolean())
                .contains("inventory-manager-1 true", "feedback-analyst-1 true", "notifier-1 true");
        assertThat(overview.path("tasksByState").path("COMPLETED").asLong()).as(overview.toString()).isGreaterThanOrEqualTo(5);
        assertThat(overview.path("recent")).extracting(t -> t.path("skill").asText())
                .contains("propose-reorder", "analyze-feedback", "notify-staff");
        try (HeadlessChromium browser = HeadlessChromium.start(Path.of("..").toAbsolutePath().normalize())) {
            browser.openDashboard(standalone.httpUrl(), SHOP, manager);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> browser.evaluate(
                    "document.querySelector('#agents [data-agent=\"inventory-manager-1\"]') !== null").asBoolean());
            assertThat(browser.evaluate("document.getElementById('agents-panel').innerText").asText())
                    .contains("Inventory manager", "propose-reorder", "Notifier", "up", "Reorder proposal for berlin-mitte")
                    .containsPattern("completed \\d+");
            browser.screenshot(Path.of("target", "dashboard-agents.png"));
        }
    }

    /** A2A SubscribeToTask/SendStreamingMessage over HTTP: stream, drop the connection, resume by the last id. */
    private static void resumableStream(Standalone standalone, AvroSerdes serdes) throws Exception {
        ApiClient api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
        String manager = api.token(Role.MANAGER, SHOP);
        CountDownLatch release = new CountDownLatch(1);
        try (GatedAgent agent = new GatedAgent(standalone.bootstrapServers(), serdes, release)) {
            agent.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(ApiClient.json(api.get("/.well-known/agent-card.json")).path("skills"))
                            .extracting(s -> s.path("id").asText()).contains(GatedAgent.SKILL));
            HttpClient http = HttpClient.newHttpClient();
            String send = """
                    {"jsonrpc":"2.0","id":"s1","method":"SendStreamingMessage","params":{"message":{"messageId":"gate-%s",
                     "role":"ROLE_USER","parts":[{"text":"wait for it"}]},"metadata":{"skill":"%s"}}}"""
                    .formatted(System.nanoTime(), GatedAgent.SKILL);
            List<SseEvent> first = new ArrayList<>();
            HttpResponse<InputStream> response = http.send(rpc(standalone, manager, send, null),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            // read until the agent is WORKING (it waits at the gate), then drop the connection
            try (InputStream body = response.body()) {
                readEvents(body, first, e -> state(e).equals("TASK_STATE_WORKING"));
            }
            assertThat(first.get(0).json.path("id").asText()).isEqualTo("s1");
            JsonNode task = first.get(0).json.path("result").path("task");
            assertThat(task.path("id").asText()).as(first.get(0).json.toString()).isNotBlank();
            String taskId = task.path("id").asText();
            String lastId = first.get(first.size() - 1).id;

            release.countDown(); // the task completes while nobody listens
            await().atMost(Duration.ofSeconds(30)).until(() -> ApiClient.json(api.post("/a2a",
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\"" + taskId + "\"}}",
                    Map.of("Authorization", manager))).path("result").path("status").path("state").asText()
                    .equals("TASK_STATE_COMPLETED"));

            String subscribe = "{\"jsonrpc\":\"2.0\",\"id\":\"r2\",\"method\":\"SubscribeToTask\",\"params\":{\"id\":\""
                    + taskId + "\"}}";
            List<SseEvent> rest = new ArrayList<>();
            try (InputStream body = http.send(rpc(standalone, manager, subscribe, lastId),
                    HttpResponse.BodyHandlers.ofInputStream()).body()) {
                readEvents(body, rest, e -> false); // to the end: the server closes it after COMPLETED
            }
            List<String> ids = new ArrayList<>();
            first.forEach(e -> ids.add(e.id));
            rest.forEach(e -> ids.add(e.id));
            long lastSequence = Long.parseLong(rest.get(rest.size() - 1).id);
            List<String> expected = new ArrayList<>();
            for (long s = Long.parseLong(first.get(0).id); s <= lastSequence; s++) {
                if (s == lastSequence) {
                    expected.add(s + ":a1");
                }
                expected.add(Long.toString(s));
            }
            assertThat(ids).as("every event once, in order, across the reconnect").containsExactlyElementsOf(expected);
            assertThat(rest.get(0).json.path("result").path("artifactUpdate").path("artifact").path("parts").get(0)
                    .path("text").asText()).isEqualTo("opened: wait for it");
            assertThat(state(rest.get(rest.size() - 1))).isEqualTo("TASK_STATE_COMPLETED");
            assertThat(rest).allSatisfy(e -> assertThat(e.json.path("id").asText()).isEqualTo("r2"));

            // resumed between the artifact and the completion: just the completion
            List<SseEvent> tail = new ArrayList<>();
            try (InputStream body = http.send(rpc(standalone, manager, subscribe, lastSequence + ":a1"),
                    HttpResponse.BodyHandlers.ofInputStream()).body()) {
                readEvents(body, tail, e -> false);
            }
            assertThat(tail).extracting(e -> e.id).containsExactly(Long.toString(lastSequence));
            // resumed after its last event: the stream ends at once, empty
            List<SseEvent> none = new ArrayList<>();
            try (InputStream body = http.send(rpc(standalone, manager, subscribe, Long.toString(lastSequence)),
                    HttpResponse.BodyHandlers.ofInputStream()).body()) {
                readEvents(body, none, e -> false);
            }
            assertThat(none).isEmpty();
            // an ended task without a resume point: nothing more will come
            assertThat(ApiClient.json(api.post("/a2a", subscribe, Map.of("Authorization", manager))).path("error")
                    .path("code").asInt()).isEqualTo(-32004);
        }
    }

    private static HttpRequest rpc(Standalone standalone, String token, String body, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(standalone.httpUrl() + "/a2a"))
                .header("Authorization", token).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return request.build();
    }

    private record SseEvent(String id, JsonNode json) {
    }

    /** The task's state an event tells: a task's, or a status update's; empty for an artifact. */
    private static String state(SseEvent e) {
        JsonNode result = e.json.path("result");
        JsonNode status = result.has("task") ? result.path("task").path("status") : result.path("statusUpdate").path("status");
        return status.path("state").asText("");
    }

    /** Reads server-sent events into {@code into} until {@code stop} holds for one or the stream ends. */
    private static void readEvents(InputStream body, List<SseEvent> into, java.util.function.Predicate<SseEvent> stop)
            throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    SseEvent event = new SseEvent(id, ApiClient.json(data.toString()));
                    assertThat(event.json.has("error")).as(event.json.toString()).isFalse();
                    into.add(event);
                    if (stop.test(event)) {
                        return;
                    }
                }
                id = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> void send(KafkaProducer<String, byte[]> producer,
            AvroSerdes serdes, Topic<V> topic, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde(serdes).serializer()
                .serialize(topic.name(), value))).get(10, TimeUnit.SECONDS);
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> List<V> read(String bootstrapServers,
            AvroSerdes serdes, Topic<V> topic) {
        List<V> found = new ArrayList<>();
        var reader = topic.valueSerde(serdes).deserializer();
        CommittedRecords.readAll(bootstrapServers, topic.name(), (key, value) -> found.add(reader.deserialize(topic.name(), value)));
        return found;
    }

    /** An agent that works on its task only once the test opens the gate, so a stream can be dropped mid-task. */
    private static final class GatedAgent extends TopicAgent {
        static final String SKILL = "gated";
        private final CountDownLatch gate;
        private final List<String> worked = new CopyOnWriteArrayList<>();

        GatedAgent(String bootstrapServers, AvroSerdes serdes, CountDownLatch gate) {
            super(bootstrapServers, serdes, "gated-1", Duration.ofSeconds(1));
            this.gate = gate;
        }

        @Override
        protected AgentCard.Builder describe() {
            return AgentCard.newBuilder().setName("Gated").setDescription("Waits for the test.").setVersion("1")
                    .setSkills(List.of(AgentSkill.newBuilder().setId(SKILL).setName(SKILL).setDescription(SKILL).build()))
                    .setMaxConcurrency(4);
        }

        @Override
        protected Outcome work(AgentTask task) throws Exception {
            worked.add(task.getTaskId());
            assertThat(gate.await(60, TimeUnit.SECONDS)).isTrue();
            String text = task.getMessage().getParts().get(0).getText();
            return Outcome.completed(Artifact.newBuilder().setArtifactId("opened").setName("opened").setParts(List.of(
                    Part.newBuilder().setKind(PartKind.TEXT).setText("opened: " + text).build())).build());
        }
    }
}

package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.embedded.junit.CommittedRecords;
import io.brewstream.connectors.agents.EchoAgent;
import io.brewstream.embedded.NpmPackages;
import io.brewstream.schemas.agents.A2aMessage;
import io.brewstream.schemas.agents.MessageRole;
import io.brewstream.schemas.agents.Part;
import io.brewstream.schemas.agents.PartKind;
import io.brewstream.schemas.agents.TaskCommand;
import io.brewstream.schemas.agents.TaskCommandKind;
import io.brewstream.schemas.agents.TaskEvent;
import io.brewstream.schemas.agents.TaskState;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/** The agents router in the standalone stack on the real broker, with an echo agent as a plain client. */
class AgentsIntegrationTest {

    @Test
    void aSubmittedTaskIsRoutedToTheLiveEchoAgentAndCompletesWithItsArtifact(@TempDir Path dataDir) throws Exception {
        try (Standalone standalone = Standalone.start(StandaloneSettingsForTests.onFreePorts(dataDir))) {
            assertThat(standalone.awaitReady(Duration.ofMinutes(2))).isTrue();
            AvroSerdes serdes = AvroSerdes.forRegistry(standalone.registry().apiUrl());
            try (EchoAgent agent = new EchoAgent(standalone.bootstrapServers(), serdes, "echo-1", Duration.ofSeconds(1)).start();
                    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, standalone.bootstrapServers()),
                            new StringSerializer(), new ByteArraySerializer())) {
                String taskId = "task-" + System.nanoTime();
                TaskCommand submit = TaskCommand.newBuilder().setCommandId("submit-" + taskId)
                        .setKind(TaskCommandKind.SUBMIT).setTaskId(taskId).setSkill(EchoAgent.SKILL)
                        .setMessage(A2aMessage.newBuilder().setMessageId("m1").setRole(MessageRole.USER)
                                .setParts(List.of(Part.newBuilder().setKind(PartKind.TEXT).setText("hello, agents").build()))
                                .build())
                        .setIdempotencyKey("k-" + taskId).setRequestedBy("test").setAt(Instant.now()).build();
                // the agent may announce itself a moment after: the task waits for it
                producer.send(new ProducerRecord<>(Topics.TASK_COMMANDS.name(), taskId,
                        Topics.TASK_COMMANDS.valueSerde(serdes).serializer().serialize(Topics.TASK_COMMANDS.name(), submit)));
                producer.flush();

                List<TaskEvent> events = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    events.clear();
                    events.addAll(events(standalone.bootstrapServers(), serdes, taskId));
                    return events.stream().anyMatch(e -> e.getState() == TaskState.COMPLETED);
                });
                assertThat(events).extracting(TaskEvent::getState).startsWith(TaskState.SUBMITTED)
                        .contains(TaskState.WORKING).endsWith(TaskState.COMPLETED);
                assertThat(events).extracting(TaskEvent::getSequence)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
                TaskEvent done = events.get(events.size() - 1);
                assertThat(done.getAgentId()).isEqualTo("echo-1");
                assertThat(done.getArtifacts()).singleElement().satisfies(a ->
                        assertThat(a.getParts().get(0).getText()).isEqualTo("hello, agents"));

                a2a(standalone);
                officialSdk(standalone);
            }
        }
    }

    /** The same through the A2A endpoint (JSON-RPC), as an A2A client sees it. */
    private static void a2a(Standalone standalone) throws Exception {
        ApiClient api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
        String manager = api.token(io.brewstream.platform.security.Role.MANAGER, "berlin-mitte");
        JsonNode card = ApiClient.json(api.get("/.well-known/agent-card.json"));
        assertThat(card.path("supportedInterfaces").get(0).path("protocolBinding").asText()).isEqualTo("JSONRPC");
        assertThat(card.path("skills")).extracting(s -> s.path("id").asText()).contains(EchoAgent.SKILL);

        String send = """
                {"jsonrpc":"2.0","id":"r1","method":"SendMessage","params":{"message":{"messageId":"msg-%s","role":"ROLE_USER",
                 "parts":[{"text":"over A2A"},{"data":{"cups":2}}]},"metadata":{"skill":"echo"}}}""".formatted(System.nanoTime());
        JsonNode sent = rpc(api, manager, send);
        assertThat(sent.path("id").asText()).isEqualTo("r1");
        JsonNode task = sent.path("result").path("task");
        assertThat(task.path("status").path("state").asText()).as(sent.toString()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(task.path("artifacts").get(0).path("parts").get(0).path("text").asText()).isEqualTo("over A2A");
        assertThat(task.path("artifacts").get(0).path("parts").get(1).path("data").path("cups").asInt()).isEqualTo(2);
        String taskId = task.path("id").asText();
        assertThat(rpc(api, manager, send).path("result").path("task").path("id").asText())
                .as("the same message sent again is the same task").isEqualTo(taskId);

        JsonNode got = rpc(api, manager, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"GetTask\",\"params\":{\"id\":\"" + taskId + "\"}}");
        assertThat(got.path("result").path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        JsonNode listed = rpc(api, manager, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ListTasks\",\"params\":{\"contextId\":\""
                + task.path("contextId").asText() + "\"}}");
        assertThat(listed.path("result").path("tasks")).extracting(t -> t.path("id").asText()).containsExactly(taskId);
        assertThat(rpc(api, manager, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"CancelTask\",\"params\":{\"id\":\"" + taskId + "\"}}")
                .path("error").path("code").asInt()).as("a completed task").isEqualTo(-32002);
        assertThat(rpc(api, manager, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"GetTask\",\"params\":{\"id\":\"nope\"}}")
                .path("error").path("code").asInt()).isEqualTo(-32001);
        assertThat(rpc(api, manager, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"Brew\"}").path("error").path("code").asInt())
                .isEqualTo(-32601);
        assertThat(rpc(api, manager, "{not json").path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(rpc(api, manager, """
                {"jsonrpc":"2.0","id":7,"method":"SendMessage","params":{"message":{"messageId":"m","role":"ROLE_USER",
                 "parts":[{"text":"which skill?"}]}}}""").path("error").path("message").asText()).contains("metadata.skill");
        assertThat(api.post("/a2a", send, Map.of("Authorization", api.customerToken("cust-42"))).statusCode()).isEqualTo(403);
    }

    /**
     * The official A2A JavaScript SDK (A2A 1.0, from npm, installed once into ~/.cache/brewstream) as the client:
     * agent card, SendMessage over JSON-RPC answered by the echo agent, GetTask, CancelTask refused for a finished
     * task, an unknown task.
     */
    private static void officialSdk(Standalone standalone) throws Exception {
        Path sdk = NpmPackages.installed("@a2a-js/sdk", A2A_SDK_VERSION, "a2a-js-sdk-" + A2A_SDK_VERSION, null,
                Path.of("node_modules", "@a2a-js", "sdk", "package.json"));
        Path script = sdk.resolve("official-sdk-client.mjs"); // beside its node_modules, so the import resolves
        try (var in = AgentsIntegrationTest.class.getResourceAsStream("/a2a/official-sdk-client.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        ApiClient api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
        String token = api.token(io.brewstream.platform.security.Role.MANAGER, "berlin-mitte").substring("Bearer ".length());
        Process node = new ProcessBuilder("node", script.toString(), standalone.httpUrl(), token, "sdk-" + System.nanoTime())
                .redirectErrorStream(true).start();
        String output;
        try {
            assertThat(node.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the SDK client finished").isTrue();
            output = new String(node.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            node.destroyForcibly();
        }
        assertThat(node.exitValue()).as(output).isZero();
        Map<String, JsonNode> steps = new java.util.HashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                JsonNode step = ApiClient.json(line);
                steps.put(step.path("step").asText(), step);
            }
        }
        assertThat(steps.get("card").path("skills")).as(output).extracting(JsonNode::asText).contains(EchoAgent.SKILL);
        assertThat(steps.get("sent").path("state").asText()).as(output).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(steps.get("sent").path("artifact").asText()).isEqualTo("hello from the official SDK");
        assertThat(steps.get("got").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(steps.get("cancel refused").path("code").asInt()).as(output).isEqualTo(-32002);
        assertThat(steps.get("missing").path("code").asInt()).as(output).isEqualTo(-32001);
        List<String> streamed = new ArrayList<>();
        steps.get("streamed").path("events").forEach(e -> streamed.add(e.asText()));
        assertThat(streamed).as(output).isNotEmpty();
        assertThat(streamed.get(0)).as("a stream starts with the task").startsWith("task ");
        assertThat(streamed.get(streamed.size() - 1)).as("and ends with its completion").endsWith("TASK_STATE_COMPLETED");
        if (streamed.size() > 1) {
            assertThat(streamed).as("the artifact came before the completion").contains("artifact hello, streamed");
        }
    }

    private static final String A2A_SDK_VERSION = "1.3.0";

    private static JsonNode rpc(ApiClient api, String token, String body) throws Exception {
        var response = api.post("/a2a", body, Map.of("Authorization", token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiClient.json(response);
    }

    private static List<TaskEvent> events(String bootstrapServers, AvroSerdes serdes, String taskId) {
        List<TaskEvent> found = new ArrayList<>();
        var reader = Topics.TASK_EVENTS.valueSerde(serdes).deserializer();
        CommittedRecords.readAll(bootstrapServers, Topics.TASK_EVENTS.name(), (key, value) -> {
            if (taskId.equals(key)) {
                found.add(reader.deserialize(Topics.TASK_EVENTS.name(), value));
            }
        });
        return found;
    }
}

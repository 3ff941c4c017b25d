package io.brewstream.topologies.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.agents.A2aMessage;
import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentHeartbeat;
import io.brewstream.schemas.agents.AgentSkill;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.agents.AnswerCodes;
import io.brewstream.schemas.agents.TaskReply;
import io.brewstream.schemas.agents.Artifact;
import io.brewstream.schemas.agents.MessageRole;
import io.brewstream.schemas.agents.Part;
import io.brewstream.schemas.agents.PartKind;
import io.brewstream.schemas.agents.TaskCommand;
import io.brewstream.schemas.agents.TaskCommandKind;
import io.brewstream.schemas.agents.TaskEvent;
import io.brewstream.schemas.agents.TaskState;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.support.DriverSupport;

/** The agents router on the TopologyTestDriver with the real registry's serdes. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class AgentsTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");
    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, TaskCommand> commands;
    private TestInputTopic<String, AgentCard> cards;
    private TestInputTopic<String, AgentHeartbeat> heartbeats;
    private TestOutputTopic<String, TaskEvent> events;
    private TestOutputTopic<String, AgentTask> work;
    private int commandNumber;

    @TempDir
    Path stateDir;

    AgentsTopologyTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @BeforeEach
    void setUp() {
        // attempts time out after 2 s, the first retry waits 200 ms; tasks fail after a minute
        support = new DriverSupport(new AgentsTopology(new AgentsSettings(Duration.ofMinutes(1), Duration.ofSeconds(2),
                3, 3, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofHours(1))),
                serdes, stateDir, T0);
        commands = support.input(Topics.TASK_COMMANDS);
        cards = support.input(Topics.AGENT_CARDS);
        heartbeats = support.input(Topics.AGENT_HEARTBEATS);
        events = support.output(Topics.TASK_EVENTS);
        work = support.output(Topics.AGENT_TASKS);
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    private void agent(String id, long heartbeatMillis, int concurrency, String... skills) {
        List<AgentSkill> list = new ArrayList<>();
        for (String skill : skills) {
            list.add(AgentSkill.newBuilder().setId(skill).setName(skill).setDescription(skill).build());
        }
        cards.pipeInput(id, AgentCard.newBuilder().setAgentId(id).setName(id).setDescription("test agent")
                .setVersion("1").setSkills(list).setHeartbeatMillis(heartbeatMillis).setMaxConcurrency(concurrency)
                .setAnnouncedAt(now()).build(), now());
    }

    private Instant now() {
        return T0.plus(elapsed);
    }

    private Duration elapsed = Duration.ZERO;

    private void advance(Duration by) {
        elapsed = elapsed.plus(by);
        support.driver.advanceWallClockTime(by);
    }

    private static A2aMessage text(String text) {
        return A2aMessage.newBuilder().setMessageId("m-" + text.hashCode()).setRole(MessageRole.USER)
                .setParts(List.of(Part.newBuilder().setKind(PartKind.TEXT).setText(text).build())).build();
    }

    private void submit(String taskId, String context, String skill, String key) {
        submit(taskId, context, skill, key, null);
    }

    private void submit(String taskId, String context, String skill, String key, Long attemptTimeoutMillis) {
        commands.pipeInput(taskId, TaskCommand.newBuilder().setCommandId("c" + commandNumber++).setKind(TaskCommandKind.SUBMIT)
                .setTaskId(taskId).setContextId(context).setSkill(skill).setMessage(text("do " + taskId))
                .setIdempotencyKey(key).setAttemptTimeoutMillis(attemptTimeoutMillis).setRequestedBy("test")
                .setAt(now()).build(), now());
    }

    private void update(String taskId, String agentId, int attempt, TaskState state, Artifact... artifacts) {
        commands.pipeInput(taskId, TaskCommand.newBuilder().setCommandId("c" + commandNumber++)
                .setKind(TaskCommandKind.AGENT_UPDATE).setTaskId(taskId).setAgentId(agentId).setAttempt(attempt)
                .setState(state).setArtifacts(List.of(artifacts)).setAt(now()).build(), now());
    }

    private void cancel(String taskId) {
        commands.pipeInput(taskId, TaskCommand.newBuilder().setCommandId("c" + commandNumber++).setKind(TaskCommandKind.CANCEL)
                .setTaskId(taskId).setRequestedBy("someone").setAt(now()).build(), now());
    }

    private Map<String, String> assignments() {
        Map<String, String> byTask = new HashMap<>();
        for (AgentTask t : work.readValuesToList()) {
            if (!t.getCancel()) {
                byTask.put(t.getTaskId(), t.getAssignedAgentId());
            }
        }
        return byTask;
    }

    @Test
    void aTaskGoesToTheLiveAgentWithTheSkillAndFewestInFlightAndItsConversationStaysWithIt() {
        agent("a1", 60_000, 2, "echo");
        agent("a2", 60_000, 2, "echo");
        agent("a3", 60_000, 5, "translate");
        submit("t1", "c1", "echo", null);
        submit("t2", "c2", "echo", null);
        submit("t3", "c1", "echo", null); // the conversation is with a1
        submit("t4", "c3", "echo", null); // a1 is full
        assertThat(assignments()).containsExactlyInAnyOrderEntriesOf(Map.of("t1", "a1", "t2", "a2", "t3", "a1", "t4", "a2"));
        submit("t5", "c4", "echo", null); // both full: it waits
        assertThat(assignments()).isEmpty();
        update("t1", "a1", 1, TaskState.COMPLETED);
        assertThat(assignments()).as("a slot freed").containsExactly(Map.entry("t5", "a1"));
    }

    @Test
    void withNoLiveAgentATaskWaitsUntilItsDeadlineThenFailsWithTheReason() {
        submit("t1", "c1", "nobody-has-this", null);
        assertThat(events.readValuesToList()).extracting(TaskEvent::getState).containsExactly(TaskState.SUBMITTED);
        advance(Duration.ofSeconds(61));
        assertThat(events.readValuesToList()).singleElement().satisfies(e -> {
            assertThat(e.getState()).isEqualTo(TaskState.FAILED);
            assertThat(e.getReason()).contains("deadline");
            assertThat(e.getSequence()).isEqualTo(2);
        });
    }

    @Test
    void anAgentThatMissesThreeHeartbeatsIsDownAndItsTasksGoToAnother() {
        agent("a1", 1_000, 5, "echo");
        submit("t1", "c1", "echo", null, 60_000L); // no attempt timeout in the way
        assertThat(assignments()).containsExactly(Map.entry("t1", "a1"));
        agent("a2", 60_000, 5, "echo");
        advance(Duration.ofMillis(1_500));
        heartbeats.pipeInput("a1", AgentHeartbeat.newBuilder().setAgentId("a1").setAgentType("echo")
                .setCapabilities(List.of("echo")).setTtlMillis(3_000).setSentAt(now()).build(), now());
        advance(Duration.ofMillis(2_900));
        assertThat(assignments()).as("a heartbeat kept it up").isEmpty();
        events.readValuesToList();
        advance(Duration.ofMillis(200)); // 3.1 s since its last heartbeat
        assertThat(assignments()).containsExactly(Map.entry("t1", "a2"));
        List<TaskEvent> moved = events.readValuesToList();
        assertThat(moved).extracting(TaskEvent::getReason).first().asString().contains("a1").contains("missed 3 heartbeats");
        assertThat(moved).last().satisfies(e -> {
            assertThat(e.getAgentId()).isEqualTo("a2");
            assertThat(e.getAttempt()).isEqualTo(2);
        });
    }

    @Test
    void heartbeatsQueuedBehindABacklogDoNotMakeAnAgentDownAndATaskEveryAgentHadGoesToOneOfThemAgain() {
        agent("a1", 1_000, 5, "echo");
        // a backlog: the router reads input stamped 10 ms apart while the wall clock runs 50 ms a record (5 s of
        // wall clock for 1 s of input); the agent's heartbeats are in that input, behind the commands, and only the
        // input's own time says how silent the agent is
        for (int i = 0; i < 100; i++) {
            elapsed = elapsed.plusMillis(10);
            heartbeats.pipeInput("a1", AgentHeartbeat.newBuilder().setAgentId("a1").setAgentType("test")
                    .setCapabilities(List.of("echo")).setTtlMillis(3_000).setSentAt(now()).build(), now());
            support.driver.advanceWallClockTime(Duration.ofMillis(50));
        }
        submit("t1", "c1", "echo", null);
        assertThat(assignments()).as("a1 is up: its heartbeats are there").containsExactly(Map.entry("t1", "a1"));

        // a1 really goes silent: DOWN; t1 has been with a1 and no other agent has the skill, so when a1 is back the
        // task goes to it again instead of waiting for its deadline
        advance(Duration.ofSeconds(4));
        assertThat(events.readValuesToList()).extracting(TaskEvent::getReason).last().asString().contains("missed 3 heartbeats");
        heartbeats.pipeInput("a1", AgentHeartbeat.newBuilder().setAgentId("a1").setAgentType("test")
                .setCapabilities(List.of("echo")).setTtlMillis(3_000).setSentAt(now()).build(), now());
        assertThat(work.readValuesToList()).filteredOn(t -> !t.getCancel()).extracting(AgentTask::getAssignedAgentId,
                AgentTask::getAttempt).containsExactly(org.assertj.core.groups.Tuple.tuple("a1", 2));
    }

    @Test
    void anAttemptThatTimesOutIsCanceledWithItsAgentAndRetriedOnAnotherAfterABackoff() {
        agent("a1", 60_000, 5, "echo");
        agent("a2", 60_000, 5, "echo");
        submit("t1", "c1", "echo", null);
        assertThat(assignments()).containsExactly(Map.entry("t1", "a1"));
        advance(Duration.ofMillis(2_100));
        List<AgentTask> told = work.readValuesToList();
        assertThat(told).singleElement().satisfies(t -> {
            assertThat(t.getCancel()).isTrue();
            assertThat(t.getAssignedAgentId()).isEqualTo("a1");
        });
        assertThat(events.readValuesToList()).last().satisfies(e -> assertThat(e.getReason()).contains("timed out"));
        advance(Duration.ofMillis(300)); // the 200 ms backoff
        assertThat(assignments()).containsExactly(Map.entry("t1", "a2"));
        assertThat(events.readValuesToList()).singleElement().satisfies(e -> assertThat(e.getAttempt()).isEqualTo(2));
        update("t1", "a1", 1, TaskState.COMPLETED); // the first agent, late: ignored
        assertThat(events.readValuesToList()).isEmpty();
        update("t1", "a2", 2, TaskState.COMPLETED);
        assertThat(events.readValuesToList()).singleElement().satisfies(e -> assertThat(e.getState()).isEqualTo(TaskState.COMPLETED));
        advance(Duration.ofMinutes(2));
        assertThat(events.readValuesToList()).as("a finished task has no deadline any more").isEmpty();
    }

    @Test
    void aTaskAsksForInputTheAnswerGoesToTheSameAgentAndACancellationIsFinal() {
        agent("a1", 60_000, 5, "echo");
        submit("t1", "c1", "echo", null);
        work.readValuesToList();
        update("t1", "a1", 1, TaskState.WORKING);
        update("t1", "a1", 1, TaskState.INPUT_REQUIRED);
        advance(Duration.ofSeconds(5));
        assertThat(work.readValuesToList()).as("no timeout while a person is asked").isEmpty();
        commands.pipeInput("t1", TaskCommand.newBuilder().setCommandId("answer").setKind(TaskCommandKind.SUBMIT)
                .setTaskId("t1").setMessage(text("oat milk")).setAt(now()).build(), now());
        assertThat(work.readValuesToList()).singleElement().satisfies(t -> {
            assertThat(t.getAssignedAgentId()).isEqualTo("a1");
            assertThat(t.getMessage().getParts().get(0).getText()).isEqualTo("oat milk");
            assertThat(t.getInput()).isEqualTo("{\"text\":\"oat milk\"}");
        });
        cancel("t1");
        assertThat(work.readValuesToList()).singleElement().satisfies(t -> assertThat(t.getCancel()).isTrue());
        update("t1", "a1", 1, TaskState.COMPLETED, Artifact.newBuilder().setArtifactId("x").setParts(List.of()).build());
        List<TaskEvent> all = events.readValuesToList();
        assertThat(all).extracting(TaskEvent::getState).containsExactly(TaskState.SUBMITTED, TaskState.SUBMITTED,
                TaskState.WORKING, TaskState.INPUT_REQUIRED, TaskState.WORKING, TaskState.CANCELED);
        assertThat(all).extracting(TaskEvent::getSequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aSecondSubmissionWithTheSameIdempotencyKeyChangesNothingAndAFinishedTaskIsForgottenAfterTheRetention() {
        agent("a1", 60_000, 5, "echo");
        submit("t1", "c1", "echo", "key-1");
        submit("t1-again", "c1", "echo", "key-1");
        assertThat(assignments()).containsOnlyKeys("t1");
        assertThat(events.readValuesToList()).extracting(TaskEvent::getTaskId).containsOnly("t1");
        update("t1", "a1", 1, TaskState.COMPLETED);
        org.apache.kafka.streams.state.KeyValueStore<String, Object> tasks = support.driver.getKeyValueStore(AgentsStores.TASKS);
        advance(Duration.ofMinutes(59));
        assertThat(tasks.get("t1")).as("readable for the hour").isNotNull();
        assertThat(support.driver.getKeyValueStore(AgentsStores.BY_CONTEXT).get("c1|t1")).as("listed in its context").isEqualTo("t1");
        advance(Duration.ofMinutes(2));
        assertThat(tasks.get("t1")).as("then forgotten").isNull();
        assertThat(support.driver.getKeyValueStore(AgentsStores.IDEMPOTENCY).get("key-1")).isNull();
        assertThat(support.driver.getKeyValueStore(AgentsStores.BY_CONTEXT).get("c1|t1")).isNull();
    }

    @Test
    void everyEventIsKeptForResumingStreamsAndTheConversationKeepsWhatWasSaidUntilTheTaskIsForgotten() {
        agent("a1", 60_000, 5, "echo");
        submit("t1", "c1", "echo", "key-1");
        Artifact answer = Artifact.newBuilder().setArtifactId("art-1").setName("answer")
                .setParts(List.of(Part.newBuilder().setKind(PartKind.TEXT).setText("done t1").build())).build();
        update("t1", "a1", 1, TaskState.WORKING);
        update("t1", "a1", 1, TaskState.COMPLETED, answer);
        List<TaskEvent> emitted = events.readValuesToList();

        org.apache.kafka.streams.state.KeyValueStore<String, TaskEvent> kept =
                support.driver.getKeyValueStore(AgentsStores.EVENTS);
        List<TaskEvent> stored = new ArrayList<>();
        try (var it = kept.range(AgentsStores.eventKey("t1", 2), AgentsStores.eventKey("t1", Long.MAX_VALUE))) {
            it.forEachRemaining(kv -> stored.add(kv.value));
        }
        assertThat(stored).as("the events after sequence 1, in order, as emitted").containsExactlyElementsOf(
                emitted.subList(1, emitted.size()));
        assertThat(AgentsStores.eventKey("t1", 10)).as("sorted as numbers").isGreaterThan(AgentsStores.eventKey("t1", 9));

        org.apache.kafka.streams.state.KeyValueStore<String, io.brewstream.schemas.agents.ContextEntry> history =
                support.driver.getKeyValueStore(AgentsStores.HISTORY);
        List<io.brewstream.schemas.agents.ContextEntry> said = new ArrayList<>();
        try (var it = history.prefixScan(AgentsStores.contextPrefix("c1"),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> said.add(kv.value));
        }
        assertThat(said).extracting(e -> e.getRole() + " " + e.getState()).containsExactly("USER SUBMITTED",
                "AGENT COMPLETED");
        assertThat(said.get(0).getMessage().getParts().get(0).getText()).isEqualTo("do t1");
        assertThat(said.get(0).getAuthor()).isEqualTo("test");
        assertThat(said.get(1).getArtifacts()).containsExactly(answer);
        assertThat(said.get(1).getAuthor()).isEqualTo("a1");

        org.apache.kafka.streams.state.KeyValueStore<String, Long> counts = support.driver.getKeyValueStore(AgentsStores.COUNTS);
        org.apache.kafka.streams.state.KeyValueStore<String, TaskEvent> ended = support.driver.getKeyValueStore(AgentsStores.ENDED);
        assertThat(counts.get("COMPLETED")).isEqualTo(1L);
        assertThat(counts.get("SUBMITTED")).as("it moved on").isZero();
        assertThat(counts.get("WORKING")).isZero();
        try (var it = ended.all()) {
            assertThat(it.next().value).isEqualTo(emitted.get(emitted.size() - 1));
        }

        advance(Duration.ofMinutes(61));
        assertThat(counts.get("COMPLETED")).as("forgotten tasks count no more").isZero();
        try (var it = ended.all()) {
            assertThat(it.hasNext()).isFalse();
        }
        assertThat(kept.get(AgentsStores.eventKey("t1", 1))).as("forgotten with the task").isNull();
        try (var it = history.prefixScan(AgentsStores.contextPrefix("c1"),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            assertThat(it.hasNext()).as("its part of the conversation too").isFalse();
        }
    }

    @Test
    void aLowStockAndAFeedbackBecomeTasksForTheAgentsWithThoseSkillsOnceEachHoweverOftenRead() {
        agent("inventory-manager-1", 60_000, 5, io.brewstream.schemas.agents.Skills.PROPOSE_REORDER);
        agent("feedback-analyst-1", 60_000, 5, io.brewstream.schemas.agents.Skills.ANALYZE_FEEDBACK);
        var lowStock = support.input(Topics.LOW_STOCK);
        var feedback = support.input(Topics.FEEDBACK);
        io.brewstream.schemas.inventory.LowStock low = io.brewstream.schemas.inventory.LowStock.newBuilder()
                .setShopId("berlin-mitte").setIngredientId("oat-milk").setAvailable(800).setThreshold(1_000)
                .setUnit(io.brewstream.schemas.inventory.StockUnit.MILLILITRE).setDetectedAt(now()).build();
        lowStock.pipeInput("berlin-mitte", low, now());
        lowStock.pipeInput("berlin-mitte", low, now()); // redelivered
        feedback.pipeInput("berlin-mitte", io.brewstream.schemas.bots.Feedback.newBuilder().setFeedbackId("fb-1")
                .setShopId("berlin-mitte").setText("cold and slow").setRating(2).setReceivedAt(now()).build(), now());

        List<AgentTask> given = work.readValuesToList();
        assertThat(given).extracting(AgentTask::getCapability, AgentTask::getAssignedAgentId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("propose-reorder", "inventory-manager-1"),
                org.assertj.core.groups.Tuple.tuple("analyze-feedback", "feedback-analyst-1"));
        AgentTask reorder = given.get(0);
        assertThat(reorder.getConversationId()).isEqualTo("shop-berlin-mitte-inventory");
        assertThat(reorder.getRequestedBy()).isEqualTo("inventory.low-stock");
        assertThat(reorder.getMessage().getParts()).extracting(Part::getKind).containsExactly(PartKind.TEXT, PartKind.DATA);
        assertThat(reorder.getMessage().getParts().get(1).getData()).contains("\"ingredientId\":\"oat-milk\"",
                "\"available\":800", "\"threshold\":1000", "\"unit\":\"MILLILITRE\"");
        assertThat(given.get(1).getMessage().getParts().get(1).getData()).contains("\"text\":\"cold and slow\"",
                "\"rating\":2");
    }

    @Test
    void aFailedTaskIsADeadLetterWithItsReasonInTheHeaders() {
        TestOutputTopic<String, io.brewstream.schemas.common.DeadLetter> deadLetters = support.output(Topics.DEAD_LETTERS);
        submit("t1", "c1", "nobody-has-this", null);
        agent("a1", 60_000, 5, "echo");
        submit("t2", "c2", "echo", null);
        update("t2", "a1", 1, TaskState.COMPLETED);
        assertThat(deadLetters.isEmpty()).as("nothing failed yet").isTrue();
        advance(Duration.ofSeconds(61));
        var record = deadLetters.readRecord();
        assertThat(record.key()).isEqualTo(Topics.TASK_EVENTS.name());
        assertThat(record.value().getReason()).contains("t1", "nobody-has-this", "deadline");
        assertThat(new String(record.headers().lastHeader(io.brewstream.schemas.deadletter.DeadLetters.HEADER_REASON)
                .value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(record.value().getReason());
        TaskEvent failed = Topics.TASK_EVENTS.valueSerde(serdes).deserializer().deserialize(Topics.TASK_EVENTS.name(),
                record.value().getValue().array());
        assertThat(failed.getState()).isEqualTo(TaskState.FAILED);
        assertThat(failed.getTaskId()).isEqualTo("t1");
        assertThat(deadLetters.isEmpty()).as("only the failed one").isTrue();
    }

    @Test
    void randomSequencesOfCommandsNeverMoveATaskOutOfATerminalState() {
        Random random = new Random(17);
        agent("a1", 60_000, 3, "echo");
        agent("a2", 60_000, 3, "echo");
        TaskState[] states = TaskState.values();
        for (int i = 0; i < 400; i++) {
            String task = "t" + random.nextInt(12);
            switch (random.nextInt(5)) {
                case 0 -> submit(task, "c" + random.nextInt(4), "echo", null);
                case 1 -> cancel(task);
                case 2 -> advance(Duration.ofMillis(random.nextInt(1_500)));
                default -> update(task, random.nextBoolean() ? "a1" : "a2", 1 + random.nextInt(3),
                        states[random.nextInt(states.length)]);
            }
        }
        Map<String, List<TaskEvent>> byTask = new HashMap<>();
        events.readValuesToList().forEach(e -> byTask.computeIfAbsent(e.getTaskId(), t -> new ArrayList<>()).add(e));
        assertThat(byTask).isNotEmpty();
        for (List<TaskEvent> history : byTask.values()) {
            for (int i = 0; i < history.size(); i++) {
                assertThat(history.get(i).getSequence()).as("numbered without a gap").isEqualTo(i + 1);
                if (TaskStates.terminal(history.get(i).getState())) {
                    assertThat(history.subList(i + 1, history.size())).as("after " + history.get(i).getState()).isEmpty();
                }
            }
        }
        assertThat(byTask.values().stream().filter(h -> TaskStates.terminal(h.get(h.size() - 1).getState())))
                .as("some finished").isNotEmpty();
        // the panel's counts agree with the tasks' last states
        org.apache.kafka.streams.state.KeyValueStore<String, Long> counts = support.driver.getKeyValueStore(AgentsStores.COUNTS);
        for (TaskState state : TaskState.values()) {
            long expected = byTask.values().stream().filter(h -> h.get(h.size() - 1).getState() == state).count();
            Long counted = counts.get(state.name());
            assertThat(counted == null ? 0 : counted).as(state.name()).isEqualTo(expected);
        }
    }

    private void ask(String taskId, String agentId, int attempt, Instant replyBy, String defaultReply, String shopId,
            Artifact... made) {
        commands.pipeInput(taskId, TaskCommand.newBuilder().setCommandId("c" + commandNumber++)
                .setKind(TaskCommandKind.AGENT_UPDATE).setTaskId(taskId).setAgentId(agentId).setAttempt(attempt)
                .setState(TaskState.INPUT_REQUIRED).setArtifacts(List.of(made)).setMessage(text("approve " + taskId + "?"))
                .setReplyBy(replyBy).setDefaultReply(defaultReply).setAskShopId(shopId).setAt(now()).build(), now());
    }

    private void staffReply(String taskId, String shopId, String text) {
        String code = AnswerCodes.of(taskId);
        support.input(Topics.TASK_REPLIES).pipeInput(code, TaskReply.newBuilder().setReplyId("r" + commandNumber++)
                .setAnswerCode(code.toLowerCase(java.util.Locale.ROOT)).setText(text).setShopId(shopId)
                .setAuthor("staff chat of " + shopId).setRepliedAt(now()).build(), now());
    }

    @Test
    void aQuestionIsAnsweredFromTheAskingShopsStaffChatOrTakesItsDefaultOrFailsWhenNobodyAnswers() {
        agent("inventor", 60_000, 4, "invent");
        Artifact proposal = Artifact.newBuilder().setArtifactId("p1").setName("proposal").setParts(List.of(
                Part.newBuilder().setKind(PartKind.TEXT).setText("Oat honey latte at 4.60").build())).build();
        submit("t1", "c1", "invent", null);
        submit("t2", "c2", "invent", null);
        submit("t3", "c3", "invent", null);
        work.readValuesToList();
        update("t1", "inventor", 1, TaskState.WORKING);
        ask("t1", "inventor", 1, now().plus(Duration.ofSeconds(30)), "no", "berlin-mitte", proposal);
        update("t2", "inventor", 1, TaskState.WORKING);
        ask("t2", "inventor", 1, now().plus(Duration.ofSeconds(10)), "no", "berlin-mitte", proposal);
        update("t3", "inventor", 1, TaskState.WORKING);
        ask("t3", "inventor", 1, now().plus(Duration.ofSeconds(10)), null, "berlin-mitte", proposal);
        events.readValuesToList();
        org.apache.kafka.streams.state.KeyValueStore<String, String> questions =
                support.driver.getKeyValueStore(AgentsStores.QUESTIONS);
        assertThat(questions.get(AnswerCodes.of("t1"))).isEqualTo("t1");

        // no attempt timeout while a person is asked (attempts time out after 2 s here)
        advance(Duration.ofSeconds(3));
        assertThat(events.readValuesToList()).isEmpty();
        // another shop's staff cannot answer; the asking shop's can, by the code (typed in lower case)
        staffReply("t1", "berlin-kreuzberg", "yes");
        assertThat(events.readValuesToList()).isEmpty();
        staffReply("t1", "berlin-mitte", "yes");
        TaskEvent resumed = events.readValue();
        assertThat(resumed.getState()).isEqualTo(TaskState.WORKING);
        assertThat(resumed.getMessage().getParts().get(0).getText()).isEqualTo("yes");
        AgentTask again = work.readValue();
        assertThat(again.getAssignedAgentId()).as("the agent that asked").isEqualTo("inventor");
        assertThat(again.getMessage().getParts().get(0).getText()).isEqualTo("yes");
        assertThat(again.getArtifacts()).as("what it asked about comes back with the task").containsExactly(proposal);
        assertThat(questions.get(AnswerCodes.of("t1"))).as("the code is spent").isNull();
        staffReply("t1", "berlin-mitte", "no");
        assertThat(events.readValuesToList()).as("a second answer changes nothing").isEmpty();

        // nobody answers t2 and t3 within 10 s: t2 takes its default answer, t3 FAILS with the reason
        advance(Duration.ofSeconds(8));
        Map<String, TaskEvent> last = new HashMap<>();
        events.readValuesToList().forEach(e -> last.put(e.getTaskId(), e));
        assertThat(last.get("t2").getState()).isEqualTo(TaskState.WORKING);
        assertThat(last.get("t2").getMessage().getParts().get(0).getText()).isEqualTo("no");
        assertThat(work.readValuesToList()).filteredOn(t -> t.getTaskId().equals("t2"))
                .singleElement().satisfies(t -> assertThat(t.getArtifacts()).containsExactly(proposal));
        assertThat(last.get("t3").getState()).isEqualTo(TaskState.FAILED);
        assertThat(last.get("t3").getReason()).startsWith("nobody answered its question by");
        update("t2", "inventor", 1, TaskState.COMPLETED);
        assertThat(events.readValue().getState()).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void aQuestionStillOpenAtTheTaskDeadlineTakesItsDefaultAndTheAgentGetsOneAttemptTimeMore() {
        agent("inventor", 60_000, 4, "invent");
        submit("t1", "c1", "invent", null);
        update("t1", "inventor", 1, TaskState.WORKING);
        ask("t1", "inventor", 1, null, "no", "berlin-mitte");
        events.readValuesToList();
        work.readValuesToList();
        advance(Duration.ofSeconds(61)); // the task's deadline (a minute here)
        TaskEvent resumed = events.readValue();
        assertThat(resumed.getState()).isEqualTo(TaskState.WORKING);
        assertThat(resumed.getMessage().getParts().get(0).getText()).isEqualTo("no");
        assertThat(work.readValue().getAssignedAgentId()).isEqualTo("inventor");
        advance(Duration.ofSeconds(3)); // one attempt timeout (2 s) more, and nothing finished it
        TaskEvent failed = events.readValuesToList().stream().reduce((a, b) -> b).orElseThrow();
        assertThat(failed.getState()).isEqualTo(TaskState.FAILED);
        assertThat(failed.getReason()).contains("deadline");
    }
}

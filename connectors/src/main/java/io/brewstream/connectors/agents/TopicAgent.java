package io.brewstream.connectors.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.brewstream.schemas.agents.A2aMessage;
import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentHeartbeat;
import io.brewstream.schemas.agents.AgentSkill;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.agents.Artifact;
import io.brewstream.schemas.agents.MessageRole;
import io.brewstream.schemas.agents.Part;
import io.brewstream.schemas.agents.PartKind;
import io.brewstream.schemas.agents.TaskCommand;
import io.brewstream.schemas.agents.TaskCommandKind;
import io.brewstream.schemas.agents.TaskState;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;

/**
 * An agent that talks only through topics: it announces its A2A card on {@code agents.cards} once its consumer has
 * its partitions, sends heartbeats, reads the work the router gives it from {@code agents.tasks} (a plain consumer
 * with its own group id; it keeps the tasks assigned to it) and answers with WORKING then its {@link Outcome} on
 * {@code agents.task-commands}. A task it cannot do ends FAILED with the reason; a canceled one is dropped. On a clean
 * close it retires its card, so the router gives what it held to others at once.
 *
 * <p>Delivery is at least once: a task read again after a restart is answered again, and the router ignores the
 * answer to a task that has ended or moved on to another attempt.
 */
public abstract class TopicAgent implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(TopicAgent.class);
    private final String agentId;
    private final Duration heartbeat;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    protected final AvroSerdes serdes;
    private final Map<String, Serializer<?>> serializers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Deserializer<AgentTask> tasks;
    private final ScheduledExecutorService timer;
    private final Thread worker;
    private volatile boolean running = true;
    /** Halted as by a crash: says nothing more, not even its retirement. */
    private volatile boolean halted;

    protected TopicAgent(String bootstrapServers, AvroSerdes serdes, String agentId, Duration heartbeat) {
        this.agentId = agentId;
        this.heartbeat = heartbeat;
        this.serdes = serdes;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "brewstream-agent-" + agentId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        this.tasks = Topics.AGENT_TASKS.valueSerde(serdes).deserializer();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "agent-" + agentId + "-heartbeat"));
        this.worker = new Thread(this::work, "agent-" + agentId);
    }

    /** What the agent is: its name, description, version and skills (the id, heartbeat and time are added). */
    protected abstract AgentCard.Builder describe();

    /** Does the task; an exception ends it FAILED with the exception's message. */
    protected abstract Outcome work(AgentTask task) throws Exception;

    /** How a task ends: its state (COMPLETED, FAILED, REJECTED, INPUT_REQUIRED), artifacts and a reason or message. */
    public record Outcome(TaskState state, List<Artifact> artifacts, String reason, A2aMessage message,
            Question question) {
        public Outcome(TaskState state, List<Artifact> artifacts, String reason, A2aMessage message) {
            this(state, artifacts, reason, message, null);
        }

        public static Outcome completed(Artifact... artifacts) {
            return new Outcome(TaskState.COMPLETED, List.of(artifacts), null, null);
        }

        /**
         * INPUT_REQUIRED: the agent asks a person ({@code message}) about what it made so far ({@code artifacts},
         * which come back with the task when it resumes); the question's terms say by when, what is taken when
         * nobody answers, and whose staff may answer from a chat.
         */
        public static Outcome ask(A2aMessage message, List<Artifact> artifacts, Question question) {
            return new Outcome(TaskState.INPUT_REQUIRED, artifacts, null, message, question);
        }

        public static Outcome rejected(String reason) {
            return new Outcome(TaskState.REJECTED, List.of(), reason, null);
        }
    }

    /**
     * The terms of a question to a person: answer by {@code replyBy}; {@code defaultReply} is taken when nobody does
     * (null: the task FAILS then); the staff of {@code shopId} may answer from their chat with the task's
     * {@link io.brewstream.schemas.agents.AnswerCodes answer code}.
     */
    public record Question(Instant replyBy, String defaultReply, String shopId) {
    }

    public final String agentId() {
        return agentId;
    }

    /** Whether it still reads its tasks (false once closed, or after its consumer failed). */
    public final boolean isRunning() {
        return running && worker.isAlive();
    }

    /**
     * What an agent reads besides its tasks (topics read whole): started with the agent, read up to where it stood
     * before the agent announces itself, closed with it.
     */
    interface View extends AutoCloseable {
        View start();

        boolean caughtUp();
    }

    private final List<View> views = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Registers a view the agent answers from (call it in the constructor). */
    protected final <T extends View> T reads(T view) {
        views.add(view);
        return view;
    }

    /** Starts its views, subscribes, announces the card once its partitions are assigned and its views are whole. */
    public TopicAgent start() {
        views.forEach(View::start);
        consumer.subscribe(List.of(Topics.AGENT_TASKS.name()));
        worker.start();
        return this;
    }

    final AgentCard card() {
        return describe().setAgentId(agentId).setHeartbeatMillis(heartbeat.toMillis()).setAnnouncedAt(Instant.now())
                .build();
    }

    private void work() {
        boolean announced = false;
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                if (!announced && !consumer.assignment().isEmpty() && readyForWork()) {
                    // only now: a task given before the consumer had its partitions would be read from "latest" on
                    send(Topics.AGENT_CARDS, agentId, card());
                    timer.scheduleAtFixedRate(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                    announced = true;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!running) {
                        break; // closing or halted: the rest of the batch is for whoever gets the tasks next
                    }
                    AgentTask task = tasks.deserialize(record.topic(), record.value());
                    if (task != null && agentId.equals(task.getAssignedAgentId()) && !task.getCancel()) {
                        answer(task);
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException stopping) {
            // closed
        } catch (RuntimeException e) {
            log.error("agent {} stopped", agentId, e);
        }
    }

    private void answer(AgentTask task) {
        update(task, new Outcome(TaskState.WORKING, List.of(), null, null));
        Outcome outcome;
        try {
            outcome = work(task);
        } catch (Exception e) {
            log.warn("agent {}: task {} failed", agentId, task.getTaskId(), e);
            outcome = new Outcome(TaskState.FAILED, List.of(), e.getMessage() == null ? e.toString() : e.getMessage(), null);
        }
        update(task, outcome);
    }

    private void update(AgentTask task, Outcome outcome) {
        if (halted) {
            return;
        }
        send(Topics.TASK_COMMANDS, task.getTaskId(), TaskCommand.newBuilder().setCommandId(UUID.randomUUID().toString())
                .setKind(TaskCommandKind.AGENT_UPDATE).setTaskId(task.getTaskId()).setAgentId(agentId)
                .setAttempt(task.getAttempt()).setState(outcome.state()).setArtifacts(outcome.artifacts())
                .setReason(outcome.reason()).setMessage(outcome.message()).setRequestedBy(agentId)
                .setReplyBy(outcome.question() == null ? null : outcome.question().replyBy())
                .setDefaultReply(outcome.question() == null ? null : outcome.question().defaultReply())
                .setAskShopId(outcome.question() == null ? null : outcome.question().shopId())
                .setAt(Instant.now()).build());
    }

    /**
     * Raises a task of its own for another agent (in the same conversation as {@code from}, so it stays with one agent),
     * idempotent by {@code key}: read twice, it is one task.
     */
    protected final void submit(AgentTask from, String skill, String key, A2aMessage message) {
        String taskId = "task-" + UUID.nameUUIDFromBytes((agentId + "|" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        send(Topics.TASK_COMMANDS, taskId, TaskCommand.newBuilder().setCommandId(UUID.randomUUID().toString())
                .setKind(TaskCommandKind.SUBMIT).setTaskId(taskId).setContextId(from.getConversationId())
                .setSkill(skill).setMessage(message).setIdempotencyKey(skill + "|" + key).setRequestedBy(agentId)
                .setAt(Instant.now()).build());
    }

    @SuppressWarnings("unchecked")
    protected final <V extends SpecificRecord> void send(Topic<V> topic, String key, V value) {
        // one serializer per topic: a new one would ask the registry for the schema's id on every record
        Serializer<V> serializer = (Serializer<V>) serializers.computeIfAbsent(topic.name(),
                name -> topic.valueSerde(serdes).serializer());
        producer.send(new ProducerRecord<>(topic.name(), key, value == null ? null
                : serializer.serialize(topic.name(), value)), (m, e) -> {
                    if (e != null) {
                        log.warn("agent {}: a record for {} was not written", agentId, topic.name(), e);
                    }
                });
    }

    private void beat() {
        try {
            AgentCard card = card();
            send(Topics.AGENT_HEARTBEATS, agentId, AgentHeartbeat.newBuilder().setAgentId(agentId)
                    .setAgentType(card.getName()).setCapabilities(card.getSkills().stream().map(AgentSkill::getId).toList())
                    .setMaxConcurrentTasks(card.getMaxConcurrency()).setTtlMillis(3 * heartbeat.toMillis())
                    .setSentAt(Instant.now()).build());
        } catch (org.apache.kafka.common.errors.InterruptException stopping) {
            Thread.currentThread().interrupt(); // closing: the timer is shut down
        } catch (RuntimeException e) {
            log.warn("agent {}: a heartbeat was not sent", agentId, e); // the next one may be
        }
    }

    // --- helpers for agents ---

    protected static AgentSkill skill(String id, String name, String description, List<String> tags,
            List<String> examples) {
        return AgentSkill.newBuilder().setId(id).setName(name).setDescription(description).setTags(tags)
                .setExamples(examples).setInputModes(List.of("application/json")).setOutputModes(
                        List.of("application/json", "text/plain")).build();
    }

    /** The first data part of the task's message, as JSON. */
    protected static Optional<JsonNode> data(AgentTask task) {
        if (task.getMessage() == null) {
            return Optional.empty();
        }
        for (Part part : task.getMessage().getParts()) {
            if (part.getKind() == PartKind.DATA) {
                try {
                    return Optional.of(JSON.readTree(part.getData()));
                } catch (java.io.IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** An artifact of a sentence for people and the same as data for programs. */
    protected static Artifact artifact(String id, String name, String text, JsonNode data) {
        return Artifact.newBuilder().setArtifactId(id).setName(name).setParts(List.of(
                Part.newBuilder().setKind(PartKind.TEXT).setText(text).build(),
                Part.newBuilder().setKind(PartKind.DATA).setData(data.toString()).build())).build();
    }

    /** A message of the agent's own (a task it raises), with a sentence and data. */
    protected static A2aMessage message(String messageId, String text, JsonNode data) {
        return A2aMessage.newBuilder().setMessageId(messageId).setRole(MessageRole.USER).setParts(List.of(
                Part.newBuilder().setKind(PartKind.TEXT).setText(text).build(),
                Part.newBuilder().setKind(PartKind.DATA).setData(data.toString()).build())).build();
    }

    /**
     * Stops as a crashed process would (for fault tests and the bench): no more heartbeats, answers or reads, and no
     * retirement, so the router finds it DOWN only by its missed heartbeats.
     */
    public void halt() throws InterruptedException {
        halted = true;
        running = false;
        timer.shutdownNow();
        consumer.wakeup();
        worker.interrupt();
        worker.join(10_000);
    }

    /** Retires the card (the router gives what this agent held to others), then stops. */
    @Override
    public void close() throws Exception {
        if (halted) {
            producer.close(Duration.ofSeconds(5));
            consumer.close(Duration.ofSeconds(5));
            closeViews();
            return;
        }
        running = false;
        timer.shutdownNow();
        consumer.wakeup();
        worker.join(10_000);
        send(Topics.AGENT_CARDS, agentId, null);
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
        closeViews();
    }

    /**
     * Whether the agent may announce itself: once every view is whole (a notifier that had not yet read the staff
     * chats would refuse tasks it can do).
     */
    private boolean readyForWork() {
        return views.stream().allMatch(View::caughtUp);
    }

    /** Closes its views, and what a subclass holds besides (override and call this). */
    protected void closeViews() throws Exception {
        for (View view : views) {
            view.close();
        }
    }
}

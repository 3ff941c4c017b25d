package io.brewstream.connectors.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentHeartbeat;
import io.brewstream.schemas.agents.AgentSkill;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.agents.Artifact;
import io.brewstream.schemas.agents.TaskCommand;
import io.brewstream.schemas.agents.TaskCommandKind;
import io.brewstream.schemas.agents.TaskState;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/**
 * The simplest agent, for tests and the bench: it announces its card (one skill, {@code echo}), sends heartbeats,
 * and answers each task given to it with WORKING and then COMPLETED, with an artifact of the parts it was sent. A
 * plain consumer (its own group id, so it sees every task and keeps those assigned to it) and producer; on a clean
 * close it retires its card, so the router gives what it held to others at once.
 */
public final class EchoAgent implements AutoCloseable {
    public static final String SKILL = "echo";
    private static final Logger log = LoggerFactory.getLogger(EchoAgent.class);
    private final String agentId;
    private final Duration heartbeat;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Serializer<AgentCard> cards;
    private final Serializer<AgentHeartbeat> heartbeats;
    private final Serializer<TaskCommand> commands;
    private final Deserializer<AgentTask> tasks;
    private final ScheduledExecutorService timer;
    private final Thread worker;
    private volatile boolean running = true;

    public EchoAgent(String bootstrapServers, AvroSerdes serdes, String agentId, Duration heartbeat) {
        this.agentId = agentId;
        this.heartbeat = heartbeat;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "brewstream-agent-" + agentId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        this.cards = Topics.AGENT_CARDS.valueSerde(serdes).serializer();
        this.heartbeats = Topics.AGENT_HEARTBEATS.valueSerde(serdes).serializer();
        this.commands = Topics.TASK_COMMANDS.valueSerde(serdes).serializer();
        this.tasks = Topics.AGENT_TASKS.valueSerde(serdes).deserializer();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "agent-" + agentId + "-heartbeat"));
        this.worker = new Thread(this::work, "agent-" + agentId);
    }

    /** Subscribes, announces the card once its partitions are assigned, and starts the heartbeats. */
    public EchoAgent start() {
        consumer.subscribe(List.of(Topics.AGENT_TASKS.name()));
        worker.start();
        return this;
    }

    private AgentCard card() {
        return AgentCard.newBuilder().setAgentId(agentId).setName("Echo").setDescription("Answers with what it was sent.")
                .setVersion("1.0.0").setSkills(List.of(AgentSkill.newBuilder().setId(SKILL).setName("Echo")
                        .setDescription("Returns the message's parts as an artifact.").setTags(List.of("test"))
                        .setExamples(List.of("hello")).build()))
                .setHeartbeatMillis(heartbeat.toMillis()).setMaxConcurrency(64).setAnnouncedAt(Instant.now()).build();
    }

    private void work() {
        boolean announced = false;
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                if (!announced && !consumer.assignment().isEmpty()) {
                    // only now: a task given before the consumer had its partitions would be read from "latest" on
                    producer.send(new ProducerRecord<>(Topics.AGENT_CARDS.name(), agentId,
                            cards.serialize(Topics.AGENT_CARDS.name(), card())));
                    timer.scheduleAtFixedRate(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                    announced = true;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
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
        update(task, TaskState.WORKING, List.of());
        Artifact echo = Artifact.newBuilder().setArtifactId("echo-" + task.getTaskId()).setName("echo")
                .setParts(task.getMessage() == null ? List.of() : task.getMessage().getParts()).build();
        update(task, TaskState.COMPLETED, List.of(echo));
    }

    private void update(AgentTask task, TaskState state, List<Artifact> artifacts) {
        TaskCommand command = TaskCommand.newBuilder().setCommandId(UUID.randomUUID().toString())
                .setKind(TaskCommandKind.AGENT_UPDATE).setTaskId(task.getTaskId()).setAgentId(agentId)
                .setAttempt(task.getAttempt()).setState(state).setArtifacts(artifacts).setRequestedBy(agentId)
                .setAt(Instant.now()).build();
        producer.send(new ProducerRecord<>(Topics.TASK_COMMANDS.name(), task.getTaskId(),
                commands.serialize(Topics.TASK_COMMANDS.name(), command)));
    }

    private void beat() {
        try {
            producer.send(new ProducerRecord<>(Topics.AGENT_HEARTBEATS.name(), agentId, heartbeats.serialize(
                    Topics.AGENT_HEARTBEATS.name(), AgentHeartbeat.newBuilder().setAgentId(agentId).setAgentType("echo")
                            .setCapabilities(List.of(SKILL)).setMaxConcurrentTasks(64)
                            .setTtlMillis(3 * heartbeat.toMillis()).setSentAt(Instant.now()).build())));
        } catch (RuntimeException e) {
            log.warn("agent {}: a heartbeat was not sent", agentId, e); // the next one may be
        }
    }

    /** Retires the card (the router gives what this agent held to others), then stops. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        timer.shutdownNow();
        consumer.wakeup();
        worker.join(10_000);
        producer.send(new ProducerRecord<>(Topics.AGENT_CARDS.name(), agentId, null));
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}

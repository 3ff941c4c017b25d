package io.brewstream.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.brewstream.bench.BenchResult;
import io.brewstream.bench.Measurement;
import io.brewstream.bench.ProcessSampler;
import io.brewstream.connectors.agents.EchoAgent;
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

/**
 * The agents router against echo agents: tasks submitted on {@code agents.task-commands} (as fast as they go with a
 * bound in flight, or paced), each measured from its submission to its COMPLETED event on {@code agents.task-events};
 * and an agent halted mid-task as a crash would (no retirement): every task it held must complete on the other, once.
 */
final class AgentsBenchmark implements AutoCloseable {
    private final String bootstrapServers;
    private final AvroSerdes serdes;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<TaskCommand> commands;
    private final Deserializer<TaskEvent> events;
    private final String run = Long.toString(System.nanoTime(), 36);
    private long taskNumber;

    AgentsBenchmark(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = AvroSerdes.forRegistry(registryUrl);
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
        this.commands = Topics.TASK_COMMANDS.valueSerde(serdes).serializer();
        this.events = Topics.TASK_EVENTS.valueSerde(serdes).deserializer();
    }

    /** {@code tasks} echo tasks at {@code ratePerSecond} (0: as fast as they go, at most {@code maxInFlight} open). */
    BenchResult echo(String name, int agents, long tasks, int ratePerSecond, int maxInFlight, Duration timeout)
            throws Exception {
        List<EchoAgent> started = new ArrayList<>();
        try {
            for (int i = 1; i <= agents; i++) {
                started.add(new EchoAgent(bootstrapServers, serdes, "bench-echo-" + run + "-" + i, Duration.ofSeconds(1),
                        Math.max(64, maxInFlight), Duration.ZERO).start());
            }
            warmUp();
            return measure(name, tasks, ratePerSecond, maxInFlight, timeout, null);
        } finally {
            for (EchoAgent agent : started) {
                agent.close();
            }
        }
    }

    /**
     * Two echo agents, one slow ({@code workTime} a task) and halted once it holds tasks; the router finds it DOWN by
     * its missed heartbeats and gives its tasks to the other. Reports, in {@code findings}, the tasks it held, how many
     * completed how often, and the longest time from the halt to a held task's completion against three heartbeat
     * periods plus the attempt timeout.
     */
    BenchResult agentKilled(String name, int tasks, Duration heartbeat, Duration attemptTimeout, Duration timeout,
            Map<String, Object> findings) throws Exception {
        try (EchoAgent doomed = new EchoAgent(bootstrapServers, serdes, "bench-doomed-" + run, heartbeat, 1_000,
                Duration.ofSeconds(30))) {
            doomed.start();
            warmUp(); // the doomed agent is up (its one warm-up task may still be asleep in it)
            EchoAgent survivor = new EchoAgent(bootstrapServers, serdes, "bench-survivor-" + run, heartbeat, 1_000,
                    Duration.ZERO);
            try {
                Map<String, String> holders = new ConcurrentHashMap<>();
                Map<String, Integer> completions = new ConcurrentHashMap<>();
                long[] haltedAt = {0};
                long[] lastHeldDone = {0};
                AtomicBoolean halted = new AtomicBoolean();
                BenchResult result = measure(name, tasks, 0, tasks, timeout, event -> {
                    if (event.getAgentId() != null && event.getState() == TaskState.WORKING) {
                        holders.putIfAbsent(event.getTaskId(), event.getAgentId());
                    }
                    if (event.getState() == TaskState.SUBMITTED && event.getAgentId() != null) {
                        holders.putIfAbsent(event.getTaskId(), event.getAgentId());
                        if (!halted.get() && holders.values().stream().filter(a -> a.equals(doomed.agentId())).count() >= tasks / 4) {
                            halted.set(true);
                            survivor.start();
                            try {
                                doomed.halt();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            haltedAt[0] = System.nanoTime();
                        }
                    }
                    if (event.getState() == TaskState.COMPLETED) {
                        completions.merge(event.getTaskId(), 1, Integer::sum);
                        if (doomed.agentId().equals(holders.get(event.getTaskId())) && haltedAt[0] > 0) {
                            lastHeldDone[0] = System.nanoTime();
                        }
                    }
                });
                if (!halted.get()) {
                    survivor.start(); // never needed: the doomed agent got too few tasks
                }
                long held = holders.values().stream().filter(a -> a.equals(doomed.agentId())).count();
                Map<String, Object> kill = new LinkedHashMap<>();
                kill.put("tasks", tasks);
                kill.put("heldByTheHaltedAgent", held);
                kill.put("completedOnce", completions.values().stream().filter(c -> c == 1).count());
                kill.put("completedTwiceOrMore", completions.values().stream().filter(c -> c > 1).count());
                kill.put("notCompleted", tasks - completions.size());
                kill.put("haltToLastHeldTaskCompletedMs", lastHeldDone[0] == 0 ? null
                        : (lastHeldDone[0] - haltedAt[0]) / 1_000_000);
                kill.put("boundMs", 3 * heartbeat.toMillis() + attemptTimeout.toMillis());
                findings.put(name, kill);
                System.out.println("agent killed mid-task: " + kill);
                return result;
            } finally {
                survivor.close();
            }
        }
    }

    /** One task through the router and back, so the agents are known to it before anything is measured. */
    private void warmUp() throws Exception {
        measure("warm-up", 1, 0, 1, Duration.ofSeconds(60), null);
    }

    private BenchResult measure(String name, long tasks, int ratePerSecond, int maxInFlight, Duration timeout,
            java.util.function.Consumer<TaskEvent> watch) throws Exception {
        Measurement measurement = new Measurement(name);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(maxInFlight);
        String prefix = "bench-" + run + "-" + taskNumber + "-";
        try (KafkaConsumer<String, byte[]> consumer = eventsFromNow(); ProcessSampler sampler = new ProcessSampler()) {
            Thread reader = new Thread(() -> {
                Map<String, Boolean> done = new HashMap<>();
                long deadline = System.nanoTime() + timeout.toNanos();
                while (done.size() < tasks && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        if (!record.key().startsWith(prefix)) {
                            continue;
                        }
                        TaskEvent event = events.deserialize(record.topic(), record.value());
                        if (watch != null) {
                            watch.accept(event);
                        }
                        if (event.getState() == TaskState.COMPLETED && done.put(event.getTaskId(), true) == null) {
                            measurement.completed(sentAt.get(event.getTaskId()));
                            inFlight.release();
                        } else if (io.brewstream.topologies.agents.TaskStates.terminal(event.getState())
                                && done.put(event.getTaskId(), false) == null) {
                            measurement.error(event.getState() + ": " + event.getReason());
                            inFlight.release();
                        }
                    }
                }
            }, "bench-agents-reader");
            reader.start();
            long start = System.nanoTime();
            for (long i = 0; i < tasks; i++) {
                if (ratePerSecond > 0) {
                    long due = start + (long) (i * 1e9 / ratePerSecond);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(Math.min(wait, 1_000_000));
                    }
                }
                if (!inFlight.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
                String taskId = prefix + i;
                TaskCommand submit = TaskCommand.newBuilder().setCommandId("c-" + taskId).setKind(TaskCommandKind.SUBMIT)
                        .setTaskId(taskId).setContextId(taskId).setSkill(EchoAgent.SKILL)
                        .setMessage(A2aMessage.newBuilder().setMessageId("m-" + taskId).setRole(MessageRole.USER)
                                .setParts(List.of(Part.newBuilder().setKind(PartKind.TEXT).setText("brew " + i).build()))
                                .build())
                        .setIdempotencyKey(taskId).setRequestedBy("bench").setAt(Instant.now()).build();
                sentAt.put(taskId, System.nanoTime());
                measurement.sent();
                producer.send(new ProducerRecord<>(Topics.TASK_COMMANDS.name(), taskId,
                        commands.serialize(Topics.TASK_COMMANDS.name(), submit)));
            }
            producer.flush();
            reader.join(timeout.toMillis() + 5_000);
            taskNumber++;
            return measurement.result(sampler.usage());
        }
    }

    private KafkaConsumer<String, byte[]> eventsFromNow() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.TASK_EVENTS.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

package io.brewstream.topologies.agents;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.agents.ContextEntry;
import io.brewstream.schemas.agents.RoutedTask;
import io.brewstream.schemas.agents.RouterAgent;
import io.brewstream.schemas.agents.RouterInput;
import io.brewstream.schemas.agents.TaskEvent;
import io.brewstream.schemas.agents.TaskState;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.TypedStreams;

/**
 * AI agents: task commands, agents' cards and heartbeats in; task events and the agents' work out. The router
 * decides on the whole picture (which agents are up, how many tasks each holds), so its inputs meet in one
 * partition; a router instance handles thousands of small decisions a second, far more than agents finish tasks.
 */
public final class AgentsTopology implements DomainTopology {
    /** The one key of the router's inputs: they all go to its single partition. */
    public static final String ROUTER_KEY = "router";
    private final AgentsSettings settings;

    public AgentsTopology(AgentsSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "agents";
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        for (String store : new String[] {AgentsStores.IDEMPOTENCY, AgentsStores.CONTEXTS, AgentsStores.DUE,
                AgentsStores.WAITING, AgentsStores.HELD, AgentsStores.BY_CONTEXT, AgentsStores.QUESTIONS}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                    Serdes.String()));
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AgentsStores.TASKS),
                Serdes.String(), serdes.valueSerde(RoutedTask.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AgentsStores.AGENTS),
                Serdes.String(), serdes.valueSerde(RouterAgent.class)));
        // each task's events kept with it, so a subscriber resumes after the last sequence it saw
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AgentsStores.EVENTS),
                Serdes.String(), serdes.valueSerde(TaskEvent.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AgentsStores.HISTORY),
                Serdes.String(), serdes.valueSerde(ContextEntry.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AgentsStores.COUNTS),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AgentsStores.ENDED),
                Serdes.String(), serdes.valueSerde(TaskEvent.class)));

        // the three inputs as one kind of record: commands, cards (a tombstone retires an agent), heartbeats
        KStream<String, RouterInput> commands = builder.stream(Topics.TASK_COMMANDS.name(), Consumed.with(
                Topics.TASK_COMMANDS.keySerde(), Topics.TASK_COMMANDS.valueSerde(serdes)).withName("read-task-commands"))
                .mapValues(c -> RouterInput.newBuilder().setCommand(c).build(), Named.as("command-as-input"));
        KStream<String, RouterInput> cards = builder.stream(Topics.AGENT_CARDS.name(), Consumed.with(
                Topics.AGENT_CARDS.keySerde(), Topics.AGENT_CARDS.valueSerde(serdes)).withName("read-agent-cards"))
                .mapValues((agentId, card) -> card == null ? RouterInput.newBuilder().setRetiredAgentId(agentId).build()
                        : RouterInput.newBuilder().setCard(card).build(), Named.as("card-as-input"));
        KStream<String, RouterInput> heartbeats = builder.stream(Topics.AGENT_HEARTBEATS.name(), Consumed.with(
                Topics.AGENT_HEARTBEATS.keySerde(), Topics.AGENT_HEARTBEATS.valueSerde(serdes)).withName("read-heartbeats"))
                .mapValues(h -> RouterInput.newBuilder().setHeartbeat(h).build(), Named.as("heartbeat-as-input"));

        // domain events that become tasks by themselves: low stock asks for a reorder proposal, feedback for an
        // analysis (straight into the router's input: no hop through the commands topic)
        KStream<String, RouterInput> lowStock = builder.stream(Topics.LOW_STOCK.name(), Consumed.with(
                Topics.LOW_STOCK.keySerde(), Topics.LOW_STOCK.valueSerde(serdes)).withName("read-low-stock"))
                .mapValues(low -> RouterInput.newBuilder().setCommand(DomainTasks.reorder(low)).build(),
                        Named.as("low-stock-as-task"));
        KStream<String, RouterInput> feedback = builder.stream(Topics.FEEDBACK.name(), Consumed.with(
                Topics.FEEDBACK.keySerde(), Topics.FEEDBACK.valueSerde(serdes)).withName("read-feedback"))
                .mapValues(f -> RouterInput.newBuilder().setCommand(DomainTasks.analysis(f)).build(),
                        Named.as("feedback-as-task"));

        // a chat question asks the shop's assistant; a staff chat's answer to a question goes to its task
        KStream<String, RouterInput> questions = builder.stream(Topics.CHAT_QUESTIONS.name(), Consumed.with(
                Topics.CHAT_QUESTIONS.keySerde(), Topics.CHAT_QUESTIONS.valueSerde(serdes)).withName("read-chat-questions"))
                .mapValues(q -> RouterInput.newBuilder().setCommand(DomainTasks.question(q)).build(),
                        Named.as("question-as-task"));
        KStream<String, RouterInput> replies = builder.stream(Topics.TASK_REPLIES.name(), Consumed.with(
                Topics.TASK_REPLIES.keySerde(), Topics.TASK_REPLIES.valueSerde(serdes)).withName("read-task-replies"))
                .mapValues(r -> RouterInput.newBuilder().setReply(r).build(), Named.as("reply-as-input"));

        // all of them to the router's one partition, in the order each topic gave them
        KStream<String, SpecificRecord> out = commands.merge(lowStock, Named.as("merge-low-stock"))
                .merge(feedback, Named.as("merge-feedback")).merge(questions, Named.as("merge-questions"))
                .merge(replies, Named.as("merge-replies")).merge(cards, Named.as("merge-cards")).merge(heartbeats,
                        Named.as("merge-heartbeats"))
                .selectKey((key, input) -> ROUTER_KEY, Named.as("to-the-router"))
                .repartition(Repartitioned.<String, RouterInput>as("router-inputs").withNumberOfPartitions(1)
                        .withKeySerde(Serdes.String()).withValueSerde(serdes.valueSerde(RouterInput.class)))
                .process(() -> new TaskRouter(settings), Named.as("route-tasks"), AgentsStores.TASKS,
                        AgentsStores.AGENTS, AgentsStores.IDEMPOTENCY, AgentsStores.CONTEXTS, AgentsStores.DUE,
                        AgentsStores.WAITING, AgentsStores.HELD, AgentsStores.BY_CONTEXT, AgentsStores.EVENTS,
                        AgentsStores.HISTORY, AgentsStores.COUNTS, AgentsStores.ENDED, AgentsStores.QUESTIONS);

        // task events for callers and the A2A endpoint; work and cancellations for the agents
        var byKind = out.split(Named.as("by-kind-"))
                .branch((taskId, value) -> value instanceof TaskEvent, Branched.as("events"))
                .branch((taskId, value) -> value instanceof AgentTask, Branched.as("work"))
                .noDefaultBranch();
        KStream<String, TaskEvent> events = byKind.get("by-kind-events")
                .mapValues(v -> (TaskEvent) v, Named.as("as-task-event"));
        events.to(Topics.TASK_EVENTS.name(), TypedStreams.produced(Topics.TASK_EVENTS, serdes, "write-task-events"));
        byKind.get("by-kind-work").mapValues(v -> (AgentTask) v, Named.as("as-agent-task"))
                .to(Topics.AGENT_TASKS.name(), TypedStreams.produced(Topics.AGENT_TASKS, serdes, "write-agent-tasks"));

        // a task that FAILED (no agent in time, attempts spent) is also a dead letter, its reason in the headers
        events.filter((taskId, event) -> event.getState() == TaskState.FAILED, Named.as("failed-tasks"))
                .process(() -> new FailedTaskDeadLetters(name(), Topics.TASK_EVENTS.valueSerde(serdes).serializer()),
                        Named.as("failed-task-as-dead-letter"))
                .to(Topics.DEAD_LETTERS.name(), TypedStreams.produced(Topics.DEAD_LETTERS, serdes, "write-failed-task-dead-letters"));
    }
}

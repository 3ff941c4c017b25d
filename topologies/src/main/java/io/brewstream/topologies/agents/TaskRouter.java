package io.brewstream.topologies.agents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.agents.A2aMessage;
import io.brewstream.schemas.agents.AnswerCodes;
import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.Artifact;
import io.brewstream.schemas.agents.AgentHeartbeat;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.agents.ContextEntry;
import io.brewstream.schemas.agents.MessageRole;
import io.brewstream.schemas.agents.Part;
import io.brewstream.schemas.agents.PartKind;
import io.brewstream.schemas.agents.RoutedTask;
import io.brewstream.schemas.agents.RouterAgent;
import io.brewstream.schemas.agents.RouterInput;
import io.brewstream.schemas.agents.TaskCommand;
import io.brewstream.schemas.agents.TaskEvent;
import io.brewstream.schemas.agents.TaskReply;
import io.brewstream.schemas.agents.TaskState;
import io.brewstream.topologies.runtime.DeadlineKeys;

/**
 * The agents router: every task and every agent in one task of its own (the inputs re-keyed to one partition), so
 * "the live agent with the skill and the fewest tasks in flight" is decided on the whole picture.
 *
 * <p>A submission creates a task (SUBMITTED; a second one with the same idempotency key changes nothing) and gives
 * it to an agent ({@link AgentChoice}), or lets it wait for one. An agent's updates move it ({@link TaskStates});
 * updates from another agent or an older attempt are ignored. A user's message continues a task that asked for
 * input, with the same agent. A cancellation ends it and tells the agent. The wall clock, once a second: an agent
 * that missed its heartbeats is DOWN and its tasks go to others; an attempt that timed out goes, after a backoff, to
 * another agent until the attempts run out; a task past its deadline FAILS with the reason; a finished task is
 * forgotten after the retention, its idempotency key with it. Every change is a
 * {@link TaskEvent} numbered per task; every assignment and cancellation an {@link AgentTask} for the agent.
 */
final class TaskRouter implements Processor<String, RouterInput, String, SpecificRecord> {
    private static final String DEADLINE = "deadline";
    private static final String ATTEMPT = "attempt";
    private static final String RETRY = "retry";
    private static final String FORGET = "forget";
    private static final String REPLY = "reply";
    private final AgentsSettings settings;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, RoutedTask> tasks;
    private KeyValueStore<String, RouterAgent> agentStore;
    private KeyValueStore<String, String> idempotency;
    private KeyValueStore<String, String> contexts;
    private KeyValueStore<String, String> due;
    private KeyValueStore<String, String> waiting;
    private KeyValueStore<String, String> held;
    private KeyValueStore<String, String> byContext;
    private KeyValueStore<String, TaskEvent> events;
    private KeyValueStore<String, ContextEntry> history;
    private KeyValueStore<String, Long> counts;
    private KeyValueStore<String, TaskEvent> ended;
    private KeyValueStore<String, String> questions;
    /** Every agent (few), decoded, in step with its store. */
    private final Map<String, RouterAgent> agents = new TreeMap<>();
    /**
     * How many tasks wait for each skill, in step with the waiting store: a skill nobody waits for is never scanned
     * (a prefix scan walks the deletions of a busy queue too), and a task that never waited writes no deletion.
     */
    private final Map<String, Integer> waitingBySkill = new java.util.HashMap<>();
    /** The newest input's timestamp, and the wall clock when an input was last processed (see {@link #check}). */
    private long streamTime = Long.MIN_VALUE;
    private long lastInputWallClock = Long.MIN_VALUE;

    TaskRouter(AgentsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        tasks = context.getStateStore(AgentsStores.TASKS);
        agentStore = context.getStateStore(AgentsStores.AGENTS);
        idempotency = context.getStateStore(AgentsStores.IDEMPOTENCY);
        contexts = context.getStateStore(AgentsStores.CONTEXTS);
        due = context.getStateStore(AgentsStores.DUE);
        waiting = context.getStateStore(AgentsStores.WAITING);
        held = context.getStateStore(AgentsStores.HELD);
        byContext = context.getStateStore(AgentsStores.BY_CONTEXT);
        events = context.getStateStore(AgentsStores.EVENTS);
        history = context.getStateStore(AgentsStores.HISTORY);
        counts = context.getStateStore(AgentsStores.COUNTS);
        ended = context.getStateStore(AgentsStores.ENDED);
        questions = context.getStateStore(AgentsStores.QUESTIONS);
        try (KeyValueIterator<String, RouterAgent> it = agentStore.all()) {
            it.forEachRemaining(kv -> agents.put(kv.key, kv.value));
        }
        try (KeyValueIterator<String, String> it = waiting.all()) {
            it.forEachRemaining(kv -> waitingBySkill.merge(kv.key.substring(0, kv.key.indexOf('|')), 1, Integer::sum));
        }
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(Record<String, RouterInput> record) {
        streamTime = Math.max(streamTime, record.timestamp());
        lastInputWallClock = context.currentSystemTimeMs();
        RouterInput input = record.value();
        if (input.getCommand() != null) {
            command(input.getCommand());
        } else if (input.getCard() != null) {
            card(input.getCard());
        } else if (input.getRetiredAgentId() != null) {
            down(input.getRetiredAgentId(), Instant.ofEpochMilli(record.timestamp()), "it retired");
            agents.remove(input.getRetiredAgentId());
            agentStore.delete(input.getRetiredAgentId());
        } else if (input.getHeartbeat() != null) {
            heartbeat(input.getHeartbeat());
        } else if (input.getReply() != null) {
            reply(input.getReply());
        }
    }

    // --- commands ---

    private void command(TaskCommand c) {
        switch (c.getKind()) {
            case SUBMIT -> submit(c);
            case CANCEL -> cancel(c);
            case AGENT_UPDATE -> agentUpdate(c);
        }
    }

    private void submit(TaskCommand c) {
        if (c.getIdempotencyKey() != null && idempotency.get(c.getIdempotencyKey()) != null) {
            return; // submitted before
        }
        RoutedTask task = tasks.get(c.getTaskId());
        Instant at = c.getAt();
        if (task == null) {
            long timeout = c.getAttemptTimeoutMillis() != null ? c.getAttemptTimeoutMillis()
                    : settings.attemptTimeout().toMillis();
            Instant deadline = c.getDeadline() != null ? c.getDeadline() : at.plus(settings.defaultDeadline());
            task = RoutedTask.newBuilder().setTaskId(c.getTaskId())
                    .setContextId(c.getContextId() != null ? c.getContextId() : c.getTaskId())
                    .setSkill(c.getSkill() == null ? "" : c.getSkill()).setState(TaskState.SUBMITTED).setSequence(0)
                    .setAttempt(0).setMaxAttempts(c.getMaxAttempts() != null ? c.getMaxAttempts() : settings.maxAttempts())
                    .setAttemptTimeoutMillis(timeout).setDeadline(deadline).setMessage(c.getMessage())
                    .setRequestedBy(c.getRequestedBy()).setIdempotencyKey(c.getIdempotencyKey()).setCreatedAt(at)
                    .setUpdatedAt(at).build();
            if (c.getIdempotencyKey() != null) {
                idempotency.put(c.getIdempotencyKey(), c.getTaskId());
            }
            byContext.put(AgentsStores.contextPrefix(task.getContextId()) + task.getTaskId(), task.getTaskId());
            if (c.getSkill() == null || c.getSkill().isBlank()) {
                finish(task, TaskState.REJECTED, "a new task names the skill it needs", at);
                return;
            }
            task = emit(task, at);
            remember(task, MessageRole.USER, c.getRequestedBy(), c.getMessage(), List.of(), at);
            due.put(dueKey(deadline, task.getTaskId(), DEADLINE, 0), task.getTaskId());
            assign(task, at);
            return;
        }
        if (!TaskStates.awaitsUser(task.getState())) {
            return; // the A2A endpoint refuses to continue a task that asked for nothing
        }
        resume(task, c.getMessage(), c.getRequestedBy(), at);
    }

    /** A person's answer resumes the task with the agent that asked. */
    private void resume(RoutedTask task, A2aMessage answer, String author, Instant at) {
        RoutedTask resumed = emit(RoutedTask.newBuilder(task).setState(TaskState.WORKING).setMessage(answer)
                .setReason(null).setReplyBy(null).setDefaultReply(null).setAskShopId(null).setUpdatedAt(at).build(), at);
        remember(resumed, MessageRole.USER, author, answer, List.of(), at);
        if (resumed.getAgentId() != null) {
            dispatch(resumed, false, at);
        } else {
            assign(resumed, at);
        }
    }

    /**
     * An answer from a staff chat, by the question's code: taken only while the task waits for one and only from the
     * staff of the shop it asked; anything else (an old code, a typo, another shop's chat) changes nothing.
     */
    private void reply(TaskReply r) {
        String taskId = questions.get(AnswerCodes.normalize(r.getAnswerCode()));
        RoutedTask task = taskId == null ? null : tasks.get(taskId);
        if (task == null || !TaskStates.awaitsUser(task.getState()) || !r.getShopId().equals(task.getAskShopId())) {
            return;
        }
        resume(task, A2aMessage.newBuilder().setMessageId("reply-" + r.getReplyId()).setRole(MessageRole.USER)
                .setContextId(task.getContextId()).setTaskId(task.getTaskId()).setParts(List.of(Part.newBuilder()
                        .setKind(PartKind.TEXT).setText(r.getText()).build())).build(), r.getAuthor(), r.getRepliedAt());
    }

    /**
     * Nobody answered in time: the question's default answer is taken, with the same agent (the task gets one more
     * attempt timeout to finish past its deadline), or without one the task FAILS with the reason.
     */
    private void noReply(RoutedTask task, Instant dueAt, Instant now) {
        if (task.getDefaultReply() == null) {
            finish(task, TaskState.FAILED, "nobody answered its question by " + dueAt, now);
            return;
        }
        Instant deadline = task.getDeadline().isAfter(now) ? task.getDeadline() : now.plusMillis(task.getAttemptTimeoutMillis());
        if (!deadline.equals(task.getDeadline())) {
            due.put(dueKey(deadline, task.getTaskId(), DEADLINE, 0), task.getTaskId());
        }
        resume(RoutedTask.newBuilder(task).setDeadline(deadline).build(), A2aMessage.newBuilder()
                .setMessageId("default-" + task.getTaskId() + "-" + task.getSequence()).setRole(MessageRole.USER)
                .setContextId(task.getContextId()).setTaskId(task.getTaskId()).setParts(List.of(Part.newBuilder()
                        .setKind(PartKind.TEXT).setText(task.getDefaultReply()).build())).build(),
                "nobody answered by " + dueAt + ": the question's default", now);
    }

    private void cancel(TaskCommand c) {
        RoutedTask task = tasks.get(c.getTaskId());
        if (task == null || !TaskStates.cancelable(task.getState())) {
            return;
        }
        finish(task, TaskState.CANCELED, c.getReason() != null ? c.getReason() : "canceled by " + c.getRequestedBy(),
                c.getAt());
    }

    private void agentUpdate(TaskCommand c) {
        RoutedTask task = tasks.get(c.getTaskId());
        if (task == null || c.getState() == null || !c.getAgentId().equals(task.getAgentId())
                || c.getAttempt() == null || c.getAttempt() != task.getAttempt()
                || !TaskStates.agentMay(task.getState(), c.getState())) {
            return; // another agent, an older attempt, or a move the states do not allow
        }
        List<Artifact> artifacts = new ArrayList<>(task.getArtifacts());
        artifacts.addAll(c.getArtifacts());
        RoutedTask.Builder next = RoutedTask.newBuilder(task).setState(c.getState()).setArtifacts(artifacts)
                .setReason(c.getReason()).setUpdatedAt(c.getAt());
        if (c.getMessage() != null) {
            next.setMessage(c.getMessage());
        }
        if (TaskStates.awaitsUser(c.getState())) {
            // a person answers in their own time: no attempt timeout; the reply-by time (or the task's deadline) holds,
            // and then the question's default answer, if it has one
            next.setAttemptDeadline(null).setReplyBy(c.getReplyBy()).setDefaultReply(c.getDefaultReply())
                    .setAskShopId(c.getAskShopId());
            if (c.getReplyBy() != null && c.getReplyBy().isBefore(task.getDeadline())) {
                due.put(dueKey(c.getReplyBy(), task.getTaskId(), REPLY, task.getAttempt()), task.getTaskId());
            }
        }
        RoutedTask updated = emit(next.build(), c.getAt());
        if (c.getMessage() != null || !c.getArtifacts().isEmpty() || TaskStates.terminal(updated.getState())) {
            remember(updated, MessageRole.AGENT, c.getAgentId(), c.getMessage(), c.getArtifacts(), c.getAt());
        }
        if (TaskStates.terminal(updated.getState())) {
            release(updated.getAgentId(), updated.getTaskId(), c.getAt());
        }
    }

    // --- agents ---

    private void card(AgentCard card) {
        RouterAgent before = agents.get(card.getAgentId());
        RouterAgent agent = RouterAgent.newBuilder().setCard(card).setLastSeenAt(card.getAnnouncedAt()).setUp(true)
                .setInFlight(before == null ? 0 : before.getInFlight()).build();
        saveAgent(agent);
        drainWaiting(card.getAgentId(), card.getAnnouncedAt());
    }

    private void heartbeat(AgentHeartbeat heartbeat) {
        RouterAgent agent = agents.get(heartbeat.getAgentId());
        if (agent == null || heartbeat.getSentAt().isBefore(agent.getLastSeenAt())) {
            return; // no card yet, or an old heartbeat
        }
        boolean wasDown = !agent.getUp();
        saveAgent(RouterAgent.newBuilder(agent).setLastSeenAt(heartbeat.getSentAt()).setUp(true).build());
        if (wasDown) {
            drainWaiting(agent.getCard().getAgentId(), heartbeat.getSentAt());
        }
    }

    /** The agent is DOWN (or gone): every task it held goes back to be given to another. */
    private void down(String agentId, Instant now, String why) {
        RouterAgent agent = agents.get(agentId);
        if (agent == null) {
            return;
        }
        saveAgent(RouterAgent.newBuilder(agent).setUp(false).build());
        for (String taskId : heldBy(agentId)) {
            RoutedTask task = tasks.get(taskId);
            release(agentId, taskId, null);
            if (task == null || TaskStates.terminal(task.getState())) {
                continue;
            }
            List<String> tried = new ArrayList<>(task.getTriedAgents());
            tried.add(agentId);
            RoutedTask back = emit(RoutedTask.newBuilder(task).setState(TaskState.SUBMITTED).setAgentId(null)
                    .setAttemptDeadline(null).setTriedAgents(tried)
                    .setReason("agent " + agentId + " " + why + ": given to another").setUpdatedAt(now).build(), now);
            assign(back, now);
        }
    }

    // --- giving tasks to agents ---

    private void assign(RoutedTask task, Instant now) {
        if (task.getAttempt() >= task.getMaxAttempts()) {
            finish(task, TaskState.FAILED, "no agent finished it in " + task.getAttempt() + " attempts", now);
            return;
        }
        Optional<String> chosen = AgentChoice.choose(agents.values(), task.getSkill(), contexts.get(task.getContextId()),
                new HashSet<>(task.getTriedAgents()));
        if (chosen.isEmpty()) {
            wait(task); // until an agent with the skill has room, or the deadline
            return;
        }
        stopWaiting(task);
        String agentId = chosen.get();
        RouterAgent agent = agents.get(agentId);
        saveAgent(RouterAgent.newBuilder(agent).setInFlight(agent.getInFlight() + 1).build());
        held.put(agentId + "|" + task.getTaskId(), task.getTaskId());
        contexts.put(task.getContextId(), agentId);
        int attempt = task.getAttempt() + 1;
        Instant attemptDeadline = now.plusMillis(task.getAttemptTimeoutMillis());
        RoutedTask given = emit(RoutedTask.newBuilder(task).setAgentId(agentId).setAttempt(attempt)
                .setAttemptDeadline(attemptDeadline).setRetryAt(null).setReason(null).setUpdatedAt(now).build(), now);
        due.put(dueKey(attemptDeadline, task.getTaskId(), ATTEMPT, attempt), task.getTaskId());
        dispatch(given, false, now);
    }

    /** Tasks waiting for the skills of an agent that came up or has room, oldest first, while it has room. */
    private void drainWaiting(String agentId, Instant now) {
        RouterAgent agent = agents.get(agentId);
        if (agent == null) {
            return;
        }
        for (var skill : agent.getCard().getSkills()) {
            if (waitingBySkill.getOrDefault(skill.getId(), 0) == 0) {
                continue;
            }
            List<String> queued = new ArrayList<>();
            try (KeyValueIterator<String, String> it = waiting.prefixScan(skill.getId() + "|", new StringSerializer())) {
                while (it.hasNext() && queued.size() < agent.getCard().getMaxConcurrency()) {
                    queued.add(it.next().value);
                }
            }
            for (String taskId : queued) {
                RoutedTask task = tasks.get(taskId);
                if (task == null || TaskStates.terminal(task.getState()) || task.getAgentId() != null) {
                    if (task != null) {
                        stopWaiting(task); // a stale entry
                    }
                    continue;
                }
                if (task.getRetryAt() != null && task.getRetryAt().isAfter(now)) {
                    continue;
                }
                if (!AgentChoice.available(agents.get(agentId), skill.getId())) {
                    break;
                }
                assign(task, now);
            }
        }
    }

    private void release(String agentId, String taskId, Instant now) {
        if (agentId == null || held.get(agentId + "|" + taskId) == null) {
            return;
        }
        held.delete(agentId + "|" + taskId);
        RouterAgent agent = agents.get(agentId);
        if (agent != null) {
            saveAgent(RouterAgent.newBuilder(agent).setInFlight(Math.max(0, agent.getInFlight() - 1)).build());
            if (now != null) {
                drainWaiting(agentId, now);
            }
        }
    }

    // --- the wall clock ---

    private void check(long wallClock) {
        Instant now = Instant.ofEpochMilli(wallClock);
        // An agent's silence is judged where the router's input stands: while it works through a backlog, heartbeats
        // queue behind the commands, and the wall clock would call a healthy agent DOWN. Once the input is drained
        // (nothing read for a check interval), the wall clock is the truth.
        boolean drained = lastInputWallClock == Long.MIN_VALUE
                || wallClock - lastInputWallClock >= settings.checkInterval().toMillis();
        long heardUpTo = drained ? wallClock : Math.min(wallClock, streamTime);
        for (RouterAgent agent : List.copyOf(agents.values())) {
            long silentFor = heardUpTo - agent.getLastSeenAt().toEpochMilli();
            if (agent.getUp() && silentFor > settings.missedHeartbeats() * agent.getCard().getHeartbeatMillis()) {
                down(agent.getCard().getAgentId(), now, "missed " + settings.missedHeartbeats() + " heartbeats");
            }
        }
        List<KeyValue<String, String>> dueNow = new ArrayList<>();
        try (KeyValueIterator<String, String> it = due.range(null, DeadlineKeys.upTo(wallClock))) {
            it.forEachRemaining(dueNow::add);
        }
        for (KeyValue<String, String> kv : dueNow) {
            due.delete(kv.key);
            String[] parts = kv.key.substring(kv.key.indexOf('|') + 1).split("\\|");
            String kind = parts[parts.length - 2];
            int attempt = Integer.parseInt(parts[parts.length - 1]);
            RoutedTask task = tasks.get(kv.value);
            if (task != null && kind.equals(FORGET)) {
                tasks.delete(task.getTaskId());
                byContext.delete(AgentsStores.contextPrefix(task.getContextId()) + task.getTaskId());
                forgetEventsAndHistory(task);
                count(task.getState(), null);
                ended.delete(DeadlineKeys.key(task.getUpdatedAt().toEpochMilli(), task.getTaskId()));
                if (task.getIdempotencyKey() != null) {
                    idempotency.delete(task.getIdempotencyKey());
                }
                continue;
            }
            if (task == null || TaskStates.terminal(task.getState())) {
                continue;
            }
            switch (kind) {
                case DEADLINE -> {
                    if (task.getDeadline().isAfter(now)) {
                        continue; // moved later (a default answer was taken): its own entry is due then
                    }
                    if (TaskStates.awaitsUser(task.getState())) {
                        noReply(task, task.getDeadline(), now);
                    } else {
                        finish(task, TaskState.FAILED, "its deadline " + task.getDeadline() + " passed", now);
                    }
                }
                case REPLY -> {
                    if (TaskStates.awaitsUser(task.getState()) && task.getReplyBy() != null
                            && !task.getReplyBy().isAfter(now)) {
                        noReply(task, task.getReplyBy(), now); // (asked again since: its own entry is due later)
                    }
                }
                case ATTEMPT -> timedOut(task, attempt, now);
                case RETRY -> {
                    if (task.getAgentId() == null) {
                        assign(RoutedTask.newBuilder(task).setRetryAt(null).build(), now);
                    }
                }
                default -> throw new IllegalStateException("unknown due kind " + kind);
            }
        }
    }

    /** The agent did not finish in time: it is told to stop, and after a backoff another agent gets the task. */
    private void timedOut(RoutedTask task, int attempt, Instant now) {
        if (attempt != task.getAttempt() || task.getAgentId() == null || TaskStates.awaitsUser(task.getState())) {
            return; // an older attempt, or waiting for a person
        }
        String agentId = task.getAgentId();
        dispatch(task, true, now);
        release(agentId, task.getTaskId(), null);
        List<String> tried = new ArrayList<>(task.getTriedAgents());
        tried.add(agentId);
        String why = "attempt " + attempt + " on " + agentId + " timed out after " + task.getAttemptTimeoutMillis() + " ms";
        if (task.getAttempt() >= task.getMaxAttempts()) {
            finish(RoutedTask.newBuilder(task).setAgentId(null).setTriedAgents(tried).build(), TaskState.FAILED,
                    why + "; no attempts left", now);
            return;
        }
        Instant retryAt = now.plus(settings.backoffBefore(attempt + 1));
        RoutedTask back = emit(RoutedTask.newBuilder(task).setState(TaskState.SUBMITTED).setAgentId(null)
                .setAttemptDeadline(null).setRetryAt(retryAt).setTriedAgents(tried).setReason(why).setUpdatedAt(now)
                .build(), now);
        due.put(dueKey(retryAt, back.getTaskId(), RETRY, attempt), back.getTaskId());
        drainWaiting(agentId, now);
    }

    // --- writing ---

    /** Ends the task in a terminal state, tells its agent if one holds it, and frees the agent. */
    private void finish(RoutedTask task, TaskState state, String reason, Instant now) {
        RoutedTask done = emit(RoutedTask.newBuilder(task).setState(state).setReason(reason).setAttemptDeadline(null)
                .setUpdatedAt(now).build(), now);
        stopWaiting(done);
        if (done.getAgentId() != null && held.get(done.getAgentId() + "|" + done.getTaskId()) != null) {
            dispatch(done, true, now);
            release(done.getAgentId(), done.getTaskId(), now);
        }
    }

    /** Keeps the task with its next sequence number and emits the change. */
    private RoutedTask emit(RoutedTask task, Instant now) {
        RoutedTask next = RoutedTask.newBuilder(task).setSequence(task.getSequence() + 1).build();
        RoutedTask before = task.getSequence() == 0 ? null : tasks.get(task.getTaskId());
        if (before == null || before.getState() != next.getState()) {
            count(before == null ? null : before.getState(), next.getState());
        }
        tasks.put(next.getTaskId(), next);
        // the answer code of a task that waits for a person, while it waits
        boolean asks = TaskStates.awaitsUser(next.getState());
        if (asks && (before == null || !TaskStates.awaitsUser(before.getState()))) {
            questions.put(AnswerCodes.of(next.getTaskId()), next.getTaskId());
        } else if (!asks && before != null && TaskStates.awaitsUser(before.getState())) {
            questions.delete(AnswerCodes.of(next.getTaskId()));
        }
        TaskEvent event = TaskEvent.newBuilder().setTaskId(next.getTaskId()).setContextId(next.getContextId())
                .setSequence(next.getSequence()).setState(next.getState()).setSkill(next.getSkill())
                .setAgentId(next.getAgentId()).setAttempt(next.getAttempt()).setMessage(next.getMessage())
                .setArtifacts(next.getArtifacts()).setReason(next.getReason()).setAt(now).build();
        events.put(AgentsStores.eventKey(next.getTaskId(), next.getSequence()), event);
        context.forward(new Record<>(next.getTaskId(), event, now.toEpochMilli()));
        if (TaskStates.terminal(next.getState())) {
            ended.put(DeadlineKeys.key(now.toEpochMilli(), next.getTaskId()), event);
            // readable for a while, then forgotten with its idempotency key (the store does not only grow)
            due.put(dueKey(now.plus(settings.finishedRetention()), next.getTaskId(), FORGET, 0), next.getTaskId());
        }
        return next;
    }

    /** A task moved from one state to another (null: it was new, or is forgotten). */
    private void count(TaskState from, TaskState to) {
        if (from != null) {
            Long n = counts.get(from.name());
            counts.put(from.name(), Math.max(0, (n == null ? 0 : n) - 1));
        }
        if (to != null) {
            Long n = counts.get(to.name());
            counts.put(to.name(), (n == null ? 0 : n) + 1);
        }
    }

    /** An entry of the task's conversation: what the user asked, or what its agent said or made. */
    private void remember(RoutedTask task, MessageRole role, String author, A2aMessage message, List<Artifact> made,
            Instant at) {
        history.put(AgentsStores.historyKey(task.getContextId(), at.toEpochMilli(), task.getTaskId(), task.getSequence()),
                ContextEntry.newBuilder().setContextId(task.getContextId()).setTaskId(task.getTaskId())
                        .setSequence(task.getSequence()).setRole(role).setAuthor(author).setMessage(message)
                        .setArtifacts(made).setState(task.getState()).setAt(at).build());
    }

    /** A forgotten task takes its events and its part of the conversation with it. */
    private void forgetEventsAndHistory(RoutedTask task) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, TaskEvent> it = events.prefixScan(AgentsStores.taskPrefix(task.getTaskId()),
                new StringSerializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(events::delete);
        keys.clear();
        // a conversation is a few tasks' entries: its own prefix, never the whole store
        try (KeyValueIterator<String, ContextEntry> it = history.prefixScan(AgentsStores.contextPrefix(
                task.getContextId()), new StringSerializer())) {
            it.forEachRemaining(kv -> {
                if (kv.value.getTaskId().equals(task.getTaskId())) {
                    keys.add(kv.key);
                }
            });
        }
        keys.forEach(history::delete);
    }

    /** The task for its agent: work on it (the message to act on), or stop ({@code cancel}). */
    private void dispatch(RoutedTask task, boolean cancel, Instant now) {
        String text = task.getMessage() == null ? "" : task.getMessage().getParts().stream()
                .filter(p -> p.getKind() == PartKind.TEXT).map(Part::getText).collect(Collectors.joining("\n"));
        AgentTask work = AgentTask.newBuilder().setTaskId(task.getTaskId()).setConversationId(task.getContextId())
                .setCapability(task.getSkill()).setInput(JsonNodeFactory.instance
                        .objectNode().put("text", text).toString())
                .setRequestedBy(task.getRequestedBy() == null ? "" : task.getRequestedBy())
                .setAssignedAgentId(task.getAgentId()).setAttempt(task.getAttempt())
                .setDeadline(task.getAttemptDeadline() != null ? task.getAttemptDeadline() : task.getDeadline())
                .setCreatedAt(task.getCreatedAt()).setMessage(task.getMessage()).setArtifacts(task.getArtifacts())
                .setCancel(cancel).build();
        context.forward(new Record<>(task.getTaskId(), work, now.toEpochMilli()));
    }

    private void saveAgent(RouterAgent agent) {
        agents.put(agent.getCard().getAgentId(), agent);
        agentStore.put(agent.getCard().getAgentId(), agent);
    }

    private List<String> heldBy(String agentId) {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, String> it = held.prefixScan(agentId + "|", new StringSerializer())) {
            it.forEachRemaining(kv -> ids.add(kv.value));
        }
        return ids;
    }

    private void wait(RoutedTask task) {
        String key = waitingKey(task);
        if (waiting.get(key) == null) {
            waiting.put(key, task.getTaskId());
            waitingBySkill.merge(task.getSkill(), 1, Integer::sum);
        }
    }

    private void stopWaiting(RoutedTask task) {
        if (waitingBySkill.getOrDefault(task.getSkill(), 0) == 0) {
            return; // nothing waits for its skill: no lookup, no deletion written
        }
        String key = waitingKey(task);
        if (waiting.get(key) != null) {
            waiting.delete(key);
            waitingBySkill.merge(task.getSkill(), -1, Integer::sum);
        }
    }

    private static String waitingKey(RoutedTask task) {
        return task.getSkill() + "|" + DeadlineKeys.key(task.getCreatedAt().toEpochMilli(), task.getTaskId());
    }

    private static String dueKey(Instant at, String taskId, String kind, int attempt) {
        return DeadlineKeys.key(at.toEpochMilli(), taskId + "|" + kind + "|" + attempt);
    }
}

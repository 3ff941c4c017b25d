package io.brewstream.queries.agents;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.schemas.agents.Artifact;
import io.brewstream.schemas.agents.RoutedTask;
import io.brewstream.schemas.agents.TaskEvent;
import io.brewstream.topologies.agents.AgentsStores;
import io.brewstream.topologies.agents.TaskStates;
import io.javalin.http.sse.SseClient;

/**
 * One subscriber's stream of a task's events, as A2A 1.0's JSON-RPC binding streams them: each server-sent event is
 * a JSON-RPC response whose result is a {@code StreamResponse} ({@code task}, {@code statusUpdate} or
 * {@code artifactUpdate}). Read from the router's store of each task's events, in sequence order, every few
 * milliseconds; it ends after a terminal state or one that waits for the user (A2A's interrupted states).
 *
 * <p>Resumable with no event lost or repeated: a status update's SSE id is the task's sequence number ({@code 7});
 * an artifact that event made comes just before it, its id the event's and the artifact's number within the
 * task ({@code 7:a1}, {@code 7:a2}). A client that reconnects
 * with {@code Last-Event-ID} (or {@code metadata.lastEventId}) gets exactly what came after that id.
 */
final class TaskEventStream {
    private static final long POLL_MILLIS = 20;
    private static final long KEEP_ALIVE_MILLIS = 15_000;
    private final SseClient client;
    private final JsonNode requestId;
    private final String taskId;
    private final Function<String, RoutedTask> task;
    private final ReadOnlyKeyValueStore<String, TaskEvent> events;
    private final ScheduledExecutorService scheduler;
    /** The last sequence whose status update was sent. */
    private long sentSequence;
    /** Artifacts of the last sent sequence's event already sent (the task's artifacts only grow). */
    private int sentArtifacts;
    private long lastWrite = System.currentTimeMillis();

    private TaskEventStream(SseClient client, JsonNode requestId, String taskId, Function<String, RoutedTask> task,
            ReadOnlyKeyValueStore<String, TaskEvent> events, ScheduledExecutorService scheduler) {
        this.client = client;
        this.requestId = requestId;
        this.taskId = taskId;
        this.task = task;
        this.events = events;
        this.scheduler = scheduler;
    }

    /**
     * Streams the task from its state now (a {@code task} first, then what changes after it), or, with a
     * {@code resumeAfter} id, exactly the events after that one.
     */
    static void start(SseClient client, JsonNode requestId, RoutedTask now, String resumeAfter,
            Function<String, RoutedTask> task, ReadOnlyKeyValueStore<String, TaskEvent> events,
            ScheduledExecutorService scheduler) {
        TaskEventStream stream = new TaskEventStream(client, requestId, now.getTaskId(), task, events, scheduler);
        if (resumeAfter != null) {
            ResumePoint point = ResumePoint.parse(resumeAfter);
            // an artifact id N:aK: event N's status and its artifacts after K are still to come
            stream.sentSequence = point.artifactsSent() < 0 ? point.sequence() : point.sequence() - 1;
            stream.sentArtifacts = stream.artifactsBefore(point);
        } else {
            stream.sendTask(now);
            if (TaskStates.terminal(now.getState()) || TaskStates.awaitsUser(now.getState())) {
                client.close();
                return;
            }
        }
        scheduler.execute(stream::poll);
    }

    private void poll() {
        if (client.terminated()) {
            return; // the client went away
        }
        try {
            List<TaskEvent> next = new ArrayList<>();
            try (KeyValueIterator<String, TaskEvent> it = events.range(AgentsStores.eventKey(taskId, sentSequence + 1),
                    AgentsStores.eventKey(taskId, Long.MAX_VALUE))) {
                it.forEachRemaining(kv -> next.add(kv.value));
            }
            for (TaskEvent event : next) {
                send(event);
                if (TaskStates.terminal(event.getState()) || TaskStates.awaitsUser(event.getState())) {
                    client.close();
                    return;
                }
            }
            RoutedTask now = next.isEmpty() ? task.apply(taskId) : null;
            if (next.isEmpty() && now == null) {
                client.sendEvent("error", A2aRpc.response(requestId, A2aRpc.error(-32001, "Task not found: " + taskId))
                        .toString(), null);
                client.close(); // forgotten after its retention
                return;
            }
            if (now != null && now.getSequence() <= sentSequence
                    && (TaskStates.terminal(now.getState()) || TaskStates.awaitsUser(now.getState()))) {
                client.close(); // resumed at (or past) its last event: nothing more will come
                return;
            }
            if (System.currentTimeMillis() - lastWrite > KEEP_ALIVE_MILLIS) {
                client.sendComment("keep-alive");
                lastWrite = System.currentTimeMillis();
            }
            scheduler.schedule(this::poll, POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // a rebalance moved the router, or the client's connection broke: the client resumes from its last id
            client.close();
        }
    }

    private void sendTask(RoutedTask now) {
        ObjectNode result = A2aJson.JSON.createObjectNode();
        result.set("task", A2aJson.task(now));
        write(result, Long.toString(now.getSequence()));
        sentSequence = now.getSequence();
        sentArtifacts = now.getArtifacts().size();
    }

    private void send(TaskEvent event) {
        List<Artifact> artifacts = event.getArtifacts();
        for (int i = sentArtifacts; i < artifacts.size(); i++) {
            ObjectNode update = A2aJson.JSON.createObjectNode();
            update.put("taskId", event.getTaskId());
            update.put("contextId", event.getContextId());
            update.set("artifact", A2aJson.artifact(artifacts.get(i)));
            update.put("append", false);
            update.put("lastChunk", true);
            ObjectNode result = A2aJson.JSON.createObjectNode();
            result.set("artifactUpdate", update);
            write(result, event.getSequence() + ":a" + (i + 1));
        }
        ObjectNode result = A2aJson.JSON.createObjectNode();
        result.set("statusUpdate", A2aJson.statusUpdate(event));
        write(result, Long.toString(event.getSequence()));
        sentSequence = event.getSequence();
        sentArtifacts = artifacts.size();
    }

    private void write(ObjectNode result, String id) {
        ObjectNode response = A2aRpc.response(requestId, A2aRpc.result(result));
        client.sendEvent("message", response.toString(), id);
        lastWrite = System.currentTimeMillis();
    }

    /** How many of the task's artifacts the client had at the resume point. */
    private int artifactsBefore(ResumePoint point) {
        if (point.artifactsSent() >= 0) {
            return point.artifactsSent(); // N:aK: the K-th of the task's artifacts, counted from its first
        }
        TaskEvent seen = events.get(AgentsStores.eventKey(taskId, point.sequence()));
        return seen == null ? 0 : seen.getArtifacts().size();
    }

    /** A stream position: after the status update of {@code sequence}, or after artifact K of that event. */
    record ResumePoint(long sequence, int artifactsSent) {
        static ResumePoint parse(String id) {
            try {
                int colon = id.indexOf(":a");
                return colon < 0 ? new ResumePoint(Long.parseLong(id.trim()), -1)
                        : new ResumePoint(Long.parseLong(id.substring(0, colon)), Integer.parseInt(id.substring(colon + 2)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("an event id is a sequence number (7) or an artifact's (7:a1): " + id);
            }
        }
    }
}

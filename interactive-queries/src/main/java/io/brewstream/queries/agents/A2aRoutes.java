package io.brewstream.queries.agents;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.security.Access;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Role;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.schemas.agents.A2aMessage;
import io.brewstream.schemas.agents.RoutedTask;
import io.brewstream.schemas.agents.RouterAgent;
import io.brewstream.schemas.agents.TaskCommand;
import io.brewstream.schemas.agents.TaskCommandKind;
import io.brewstream.schemas.agents.TaskEvent;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.agents.AgentsStores;
import io.brewstream.topologies.agents.AgentsTopology;
import io.brewstream.topologies.agents.TaskStates;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;

/**
 * The agents router as an A2A 1.0 agent, over the JSON-RPC binding: its card at {@code /.well-known/agent-card.json}
 * (the skills of the agents up now), and {@code POST /a2a} with {@code SendMessage} (a new task for the skill named
 * in {@code metadata.skill}, or the answer to a task that asked for input; the task's id comes from the caller and
 * the message id, so a message sent twice is one task), {@code GetTask}, {@code ListTasks} (of a context) and
 * {@code CancelTask}, and the streaming ones: {@code SendStreamingMessage} and {@code SubscribeToTask} answer with
 * server-sent events resumable by event id ({@link TaskEventStream}). The writes are task commands on
 * {@code agents.task-commands}; the reads come from the router's stores.
 *
 * <p>JSON-RPC errors: -32700 parse error, -32600 invalid request, -32601 method not found, -32602 invalid params,
 * -32001 task not found, -32002 task not cancelable, -32004 unsupported operation (subscribing to an ended task
 * without a resume point); HTTP 200 for all of them, as JSON-RPC over HTTP does.
 */
public final class A2aRoutes implements HttpRoutes, AutoCloseable {
    public static final String PATH = "/a2a";
    public static final String CARD_PATH = "/.well-known/agent-card.json";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final LocalStores stores;
    private final InstanceRouter router;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<TaskCommand> commands;
    private final ScheduledExecutorService polls = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "a2a-waits");
        t.setDaemon(true);
        return t;
    });

    public A2aRoutes(LocalStores stores, InstanceRouter router, String bootstrapServers, AvroSerdes serdes) {
        this.stores = stores;
        this.router = router;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new ByteArraySerializer());
        this.commands = Topics.TASK_COMMANDS.valueSerde(serdes).serializer();
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(CARD_PATH, this::card, Access.PUBLIC);
        routes.post(PATH, this::rpc, Role.STAFF, Role.MANAGER, Role.ANALYST);
    }

    private void card(Context ctx) {
        ObjectNode card = A2aJson.JSON.createObjectNode();
        String base = ctx.scheme() + "://" + ctx.host();
        card.put("name", "brewstream agents");
        card.put("description", "Routes each task to a live agent of the coffee chain with the skill it needs.");
        card.put("version", "1.0.0");
        card.put("protocolVersion", "1.0");
        card.put("url", base + PATH);
        card.put("preferredTransport", "JSONRPC");
        card.putArray("supportedInterfaces").addObject().put("url", base + PATH).put("protocolBinding", "JSONRPC")
                .put("protocolVersion", "1.0");
        card.putObject("capabilities").put("streaming", true).put("pushNotifications", false);
        card.putArray("defaultInputModes").add("text/plain").add("application/json");
        card.putArray("defaultOutputModes").add("text/plain").add("application/json");
        card.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("bearerFormat", "JWT");
        card.putArray("security").addObject().putArray("bearer");
        ArrayNode skills = card.putArray("skills");
        TreeSet<String> seen = new TreeSet<>();
        try (KeyValueIterator<String, RouterAgent> it = stores.<String, RouterAgent>keyValueStore(AgentsStores.AGENTS,
                true).all()) {
            it.forEachRemaining(kv -> {
                if (!kv.value.getUp()) {
                    return;
                }
                for (var skill : kv.value.getCard().getSkills()) {
                    if (seen.add(skill.getId())) {
                        ObjectNode s = skills.addObject();
                        s.put("id", skill.getId());
                        s.put("name", skill.getName());
                        s.put("description", skill.getDescription());
                        skill.getTags().forEach(s.putArray("tags")::add);
                        skill.getExamples().forEach(s.putArray("examples")::add);
                    }
                }
            });
        }
        ctx.contentType("application/json").result(card.toString());
    }

    private void rpc(Context ctx) {
        JsonNode request;
        try {
            request = A2aJson.JSON.readTree(ctx.body().getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            respond(ctx, null, error(-32700, "Parse error: " + e.getMessage()));
            return;
        }
        JsonNode id = request == null ? null : request.get("id");
        if (request == null || !request.isObject() || !"2.0".equals(request.path("jsonrpc").asText())
                || !request.path("method").isTextual()) {
            respond(ctx, id, error(-32600, "Invalid Request: a JSON-RPC 2.0 request object with a method"));
            return;
        }
        JsonNode params = request.path("params");
        OptionalInt partition = router.route(ctx, AgentsStores.TASKS, AgentsTopology.ROUTER_KEY);
        if (partition.isEmpty()) {
            return; // forwarded to the instance with the router
        }
        switch (request.get("method").asText()) {
            case "SendMessage" -> sendMessage(ctx, id, params, partition, false);
            case "SendStreamingMessage" -> sendMessage(ctx, id, params, partition, true);
            case "SubscribeToTask" -> subscribe(ctx, id, params, partition);
            case "GetTask" -> taskOrNotFound(ctx, id, params.path("id").asText(""), partition);
            case "ListTasks" -> listTasks(ctx, id, params, partition);
            case "CancelTask" -> cancel(ctx, id, params.path("id").asText(""), partition);
            default -> respond(ctx, id, error(-32601, "Method not found: " + request.get("method").asText()));
        }
    }

    private void sendMessage(Context ctx, JsonNode id, JsonNode params, OptionalInt partition, boolean stream) {
        List<String> errors = new ArrayList<>();
        A2aMessage message = A2aJson.message(params.path("message"), errors);
        String skill = params.path("metadata").path("skill").asText(params.path("message").path("metadata")
                .path("skill").asText(""));
        RoutedTask existing = message != null && message.getTaskId() != null ? task(message.getTaskId(), partition) : null;
        if (message != null && message.getTaskId() != null) {
            if (existing == null) {
                respond(ctx, id, error(-32001, "Task not found: " + message.getTaskId()));
                return;
            }
            if (!TaskStates.awaitsUser(existing.getState())) {
                errors.add("message.taskId: the task is " + existing.getState() + " and asks for nothing");
            } else if (existing.getAskShopId() != null && !Authentication.principal(ctx).has(Role.ANALYST)
                    && !Authentication.principal(ctx).actsForShop(existing.getAskShopId(), Role.STAFF, Role.MANAGER)) {
                errors.add("message.taskId: the task asks the staff of " + existing.getAskShopId());
            }
        } else if (skill.isBlank()) {
            errors.add("metadata.skill: a new task names the skill it needs");
        }
        Instant deadline = null;
        String deadlineText = params.path("metadata").path("deadline").asText("");
        if (!deadlineText.isBlank()) {
            // how long the task may take: an ISO-8601 duration (PT4H) or instant; a person asked has until then
            try {
                deadline = deadlineText.startsWith("P") ? Instant.now().plus(java.time.Duration.parse(deadlineText))
                        : Instant.parse(deadlineText);
            } catch (java.time.format.DateTimeParseException e) {
                errors.add("metadata.deadline: an ISO-8601 duration (PT4H) or instant, was " + deadlineText);
            }
        }
        if (!errors.isEmpty()) {
            respond(ctx, id, error(-32602, "Invalid params: " + String.join("; ", errors)));
            return;
        }
        String subject = Authentication.principal(ctx).subject();
        String taskId = existing != null ? existing.getTaskId()
                : "task-" + UUID.nameUUIDFromBytes((subject + "|" + message.getMessageId()).getBytes(StandardCharsets.UTF_8));
        TaskCommand command = TaskCommand.newBuilder().setCommandId(UUID.randomUUID().toString())
                .setKind(TaskCommandKind.SUBMIT).setTaskId(taskId).setContextId(message.getContextId())
                .setSkill(existing != null ? null : skill).setMessage(message)
                .setIdempotencyKey(subject + "|" + message.getMessageId()).setRequestedBy(subject).setAt(Instant.now())
                .setDeadline(existing != null ? null : deadline).build();
        long before = existing == null ? 0 : existing.getSequence();
        if (stream) {
            // the task as the submission made it, then every change after it, until it ends or asks for input
            openStream(ctx, client -> write(command).thenCompose(written -> awaitTask(taskId, partition,
                            t -> t.getSequence() > before))
                    .thenAccept(task -> TaskEventStream.start(client, id, task, null, t -> task(t, partition),
                            eventStore(partition), polls))
                    .exceptionally(e -> {
                        client.sendEvent("error", A2aRpc.response(id, error(-32603, "Internal error: "
                                + e.getMessage())).toString(), null);
                        client.close();
                        return null;
                    }));
            return;
        }
        boolean returnImmediately = params.path("configuration").path("returnImmediately").asBoolean(false);
        Predicate<RoutedTask> settled = returnImmediately ? t -> t.getSequence() > before
                : t -> t.getSequence() > before && (TaskStates.terminal(t.getState()) || TaskStates.awaitsUser(t.getState()));
        ctx.future(() -> write(command).thenCompose(written -> awaitTask(taskId, partition, settled))
                .thenAccept(task -> respond(ctx, id, result(A2aJson.JSON.createObjectNode().set("task",
                        A2aJson.task(task)))))
                .exceptionally(e -> {
                    respond(ctx, id, error(-32603, "Internal error: " + e.getMessage()));
                    return null;
                }));
    }

    /**
     * {@code SubscribeToTask}: the task as it is now, then every change; or, resuming with {@code Last-Event-ID} (or
     * {@code metadata.lastEventId}), exactly the events after that id, even of a task that has ended since.
     */
    private void subscribe(Context ctx, JsonNode id, JsonNode params, OptionalInt partition) {
        String taskId = params.path("id").asText("");
        RoutedTask task = task(taskId, partition);
        if (task == null) {
            respond(ctx, id, error(-32001, "Task not found: " + taskId));
            return;
        }
        String resumeAfter = ctx.header("Last-Event-ID");
        if (resumeAfter == null && params.path("metadata").path("lastEventId").isValueNode()) {
            resumeAfter = params.path("metadata").path("lastEventId").asText();
        }
        if (resumeAfter != null) {
            try {
                TaskEventStream.ResumePoint.parse(resumeAfter);
            } catch (IllegalArgumentException e) {
                respond(ctx, id, error(-32602, "Invalid params: " + e.getMessage()));
                return;
            }
        } else if (TaskStates.terminal(task.getState())) {
            respond(ctx, id, error(-32004, "Unsupported operation: the task is " + task.getState()
                    + "; GetTask reads it, or resume with the last event id seen"));
            return;
        }
        String after = resumeAfter;
        openStream(ctx, client -> TaskEventStream.start(client, id, task, after, t -> task(t, partition),
                eventStore(partition), polls));
    }

    private void taskOrNotFound(Context ctx, JsonNode id, String taskId, OptionalInt partition) {
        RoutedTask task = task(taskId, partition);
        respond(ctx, id, task == null ? error(-32001, "Task not found: " + taskId) : result(A2aJson.task(task)));
    }

    private void listTasks(Context ctx, JsonNode id, JsonNode params, OptionalInt partition) {
        String contextId = params.path("contextId").asText("");
        if (contextId.isBlank()) {
            respond(ctx, id, error(-32602, "Invalid params: contextId is required"));
            return;
        }
        ArrayNode tasks = A2aJson.JSON.createArrayNode();
        ReadOnlyKeyValueStore<String, RoutedTask> taskStore = taskStore(partition);
        try (KeyValueIterator<String, String> it = stores.<String, String>keyValueStore(AgentsStores.BY_CONTEXT, true,
                partition).prefixScan(AgentsStores.contextPrefix(contextId), new StringSerializer())) {
            it.forEachRemaining(kv -> {
                RoutedTask task = taskStore.get(kv.value);
                if (task != null) {
                    tasks.add(A2aJson.task(task));
                }
            });
        }
        ObjectNode body = A2aJson.JSON.createObjectNode();
        body.set("tasks", tasks);
        respond(ctx, id, result(body));
    }

    private void cancel(Context ctx, JsonNode id, String taskId, OptionalInt partition) {
        RoutedTask task = task(taskId, partition);
        if (task == null) {
            respond(ctx, id, error(-32001, "Task not found: " + taskId));
            return;
        }
        if (!TaskStates.cancelable(task.getState())) {
            respond(ctx, id, error(-32002, "Task cannot be canceled: it is " + task.getState()));
            return;
        }
        String subject = Authentication.principal(ctx).subject();
        TaskCommand command = TaskCommand.newBuilder().setCommandId(UUID.randomUUID().toString())
                .setKind(TaskCommandKind.CANCEL).setTaskId(taskId).setRequestedBy(subject)
                .setReason("canceled by " + subject).setAt(Instant.now()).build();
        ctx.future(() -> write(command).thenCompose(w -> awaitTask(taskId, partition, t -> TaskStates.terminal(t.getState())))
                .thenAccept(t -> respond(ctx, id, result(A2aJson.task(t))))
                .exceptionally(e -> {
                    respond(ctx, id, error(-32603, "Internal error: " + e.getMessage()));
                    return null;
                }));
    }

    private CompletableFuture<Void> write(TaskCommand command) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(Topics.TASK_COMMANDS.name(), command.getTaskId(),
                commands.serialize(Topics.TASK_COMMANDS.name(), command)), (m, e) -> {
                    if (e != null) {
                        written.completeExceptionally(e);
                    } else {
                        written.complete(null);
                    }
                });
        return written;
    }

    /** The task once {@code settled} holds for it, or as it is when the wait runs out (never a server thread held). */
    private CompletableFuture<RoutedTask> awaitTask(String taskId, OptionalInt partition, Predicate<RoutedTask> settled) {
        CompletableFuture<RoutedTask> result = new CompletableFuture<>();
        long until = System.nanoTime() + WAIT.toNanos();
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            try {
                RoutedTask task = task(taskId, partition);
                if (task != null && settled.test(task) || System.nanoTime() > until && task != null) {
                    result.complete(task);
                } else if (System.nanoTime() > until) {
                    result.completeExceptionally(new IllegalStateException("the task did not appear within " + WAIT));
                } else {
                    polls.schedule(poll[0], 20, TimeUnit.MILLISECONDS);
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        };
        polls.execute(poll[0]);
        return result;
    }

    private RoutedTask task(String taskId, OptionalInt partition) {
        return taskId.isBlank() ? null : taskStore(partition).get(taskId);
    }

    private ReadOnlyKeyValueStore<String, TaskEvent> eventStore(OptionalInt partition) {
        return stores.keyValueStore(AgentsStores.EVENTS, true, partition);
    }

    private ReadOnlyKeyValueStore<String, RoutedTask> taskStore(OptionalInt partition) {
        return stores.keyValueStore(AgentsStores.TASKS, true, partition);
    }

    private static ObjectNode result(JsonNode value) {
        return A2aRpc.result(value);
    }

    private static ObjectNode error(int code, String message) {
        return A2aRpc.error(code, message);
    }

    private static void respond(Context ctx, JsonNode id, ObjectNode payload) {
        ctx.contentType("application/json").result(A2aRpc.response(id, payload).toString());
    }

    /**
     * Answers with a server-sent event stream (as Javalin's SSE handler does, for a POST) and gives its client to
     * {@code onOpen} on a request thread of its own; the connection stays open until the stream closes it.
     */
    private static void openStream(Context ctx, Consumer<SseClient> onOpen) {
        ctx.status(200);
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setContentType("text/event-stream");
        ctx.res().addHeader("Cache-Control", "no-cache");
        ctx.res().addHeader("X-Accel-Buffering", "no");
        try {
            ctx.res().flushBuffer();
        } catch (java.io.IOException e) {
            return; // the client is gone
        }
        ctx.async(config -> config.timeout = 0, () -> {
            SseClient client = new SseClient(ctx);
            client.keepAlive();
            onOpen.accept(client);
        });
    }

    @Override
    public void close() {
        polls.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}

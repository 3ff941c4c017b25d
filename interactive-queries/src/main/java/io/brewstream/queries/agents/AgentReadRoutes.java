package io.brewstream.queries.agents;

import java.util.OptionalInt;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Principal;
import io.brewstream.platform.security.Role;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.schemas.agents.ContextEntry;
import io.brewstream.schemas.agents.MessageRole;
import io.brewstream.schemas.agents.RoutedTask;
import io.brewstream.schemas.agents.RouterAgent;
import io.brewstream.schemas.agents.TaskEvent;
import io.brewstream.schemas.agents.TaskState;
import io.brewstream.topologies.agents.AgentsStores;
import io.brewstream.topologies.agents.AgentsTopology;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Reads of the agents router's stores besides A2A: the agents with the tasks by state, the latest that ended and the
 * questions waiting for the caller's answer (the dashboard's agents panel), and a conversation's (A2A context's) history, oldest first: what users asked and
 * what agents answered or made, each entry naming its task. A finished task's entries go with it after its retention.
 */
public final class AgentReadRoutes implements HttpRoutes {
    public static final String PATH = "/api/v1/agents/contexts/{contextId}";
    public static final String OVERVIEW_PATH = "/api/v1/agents";
    private static final int RECENT = 20;
    private final LocalStores stores;
    private final InstanceRouter router;

    public AgentReadRoutes(LocalStores stores, InstanceRouter router) {
        this.stores = stores;
        this.router = router;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, this::conversation, Role.STAFF, Role.MANAGER, Role.ANALYST);
        routes.get(OVERVIEW_PATH, this::overview, Role.STAFF, Role.MANAGER, Role.ANALYST);
    }

    /** The agents the router knows (up or down, tasks in flight), how many tasks are in each state, the latest ended. */
    private void overview(Context ctx) {
        OptionalInt partition = router.route(ctx, AgentsStores.AGENTS, AgentsTopology.ROUTER_KEY);
        if (partition.isEmpty()) {
            return;
        }
        boolean stale = InstanceRouter.allowStale(ctx);
        ObjectNode body = A2aJson.JSON.createObjectNode();
        ArrayNode agents = body.putArray("agents");
        try (KeyValueIterator<String, RouterAgent> it = stores.<String, RouterAgent>keyValueStore(AgentsStores.AGENTS,
                stale, partition).all()) {
            it.forEachRemaining(kv -> {
                RouterAgent a = kv.value;
                ObjectNode agent = agents.addObject();
                agent.put("agentId", a.getCard().getAgentId());
                agent.put("name", a.getCard().getName());
                agent.put("up", a.getUp());
                agent.put("inFlight", a.getInFlight());
                agent.put("maxConcurrency", a.getCard().getMaxConcurrency());
                agent.put("lastSeenAt", a.getLastSeenAt().toString());
                a.getCard().getSkills().forEach(skill -> agent.withArray("skills").add(skill.getId()));
            });
        }
        ObjectNode byState = body.putObject("tasksByState");
        for (TaskState state : TaskState.values()) {
            Long n = stores.<String, Long>keyValueStore(AgentsStores.COUNTS, stale, partition).get(state.name());
            byState.put(state.name(), n == null ? 0 : n);
        }
        ArrayNode recent = body.putArray("recent");
        try (KeyValueIterator<String, TaskEvent> it = stores.<String, TaskEvent>keyValueStore(AgentsStores.ENDED,
                stale, partition).reverseAll()) {
            while (it.hasNext() && recent.size() < RECENT) {
                TaskEvent e = it.next().value;
                ObjectNode task = recent.addObject();
                task.put("taskId", e.getTaskId());
                task.put("contextId", e.getContextId());
                task.put("skill", e.getSkill());
                task.put("state", e.getState().name());
                if (e.getAgentId() != null) {
                    task.put("agentId", e.getAgentId());
                }
                task.put("at", e.getAt().toString());
                String text = e.getArtifacts().stream().flatMap(a -> a.getParts().stream())
                        .filter(p -> p.getKind() == io.brewstream.schemas.agents.PartKind.TEXT).map(p -> p.getText())
                        .findFirst().orElse(e.getReason());
                if (text != null) {
                    task.put("result", text);
                }
            }
        }
        questions(ctx, body.putArray("questions"), stale, partition);
        ctx.contentType("application/json").result(body.toString());
    }

    /**
     * Tasks that wait for a person's answer, for the caller to answer: staff and managers see their shops' questions,
     * analysts every one. Each with its answer code (a staff chat answers with {@code /answer CODE text}), the
     * agent's question, what it asks about, by when, and what is taken when nobody answers.
     */
    private void questions(Context ctx, ArrayNode out, boolean stale, OptionalInt partition) {
        Principal caller = Authentication.principal(ctx);
        var tasks = stores.<String, RoutedTask>keyValueStore(AgentsStores.TASKS, stale, partition);
        try (KeyValueIterator<String, String> it = stores.<String, String>keyValueStore(AgentsStores.QUESTIONS, stale,
                partition).all()) {
            it.forEachRemaining(kv -> {
                RoutedTask t = tasks.get(kv.value);
                if (t == null || !(caller.has(Role.ANALYST) || t.getAskShopId() != null
                        && caller.actsForShop(t.getAskShopId(), Role.STAFF, Role.MANAGER))) {
                    return;
                }
                ObjectNode q = out.addObject();
                q.put("taskId", t.getTaskId());
                q.put("answerCode", kv.key);
                q.put("skill", t.getSkill());
                q.put("state", t.getState().name());
                if (t.getAgentId() != null) {
                    q.put("agentId", t.getAgentId());
                }
                if (t.getAskShopId() != null) {
                    q.put("shopId", t.getAskShopId());
                }
                if (t.getMessage() != null) {
                    q.set("message", A2aJson.message(t.getMessage()));
                }
                ArrayNode artifacts = q.putArray("artifacts");
                t.getArtifacts().forEach(a -> artifacts.add(A2aJson.artifact(a)));
                q.put("replyBy", (t.getReplyBy() != null ? t.getReplyBy() : t.getDeadline()).toString());
                if (t.getDefaultReply() != null) {
                    q.put("defaultReply", t.getDefaultReply());
                }
            });
        }
    }

    private void conversation(Context ctx) {
        String contextId = ctx.pathParam("contextId");
        OptionalInt partition = router.route(ctx, AgentsStores.HISTORY, AgentsTopology.ROUTER_KEY);
        if (partition.isEmpty()) {
            return; // forwarded to the instance with the router
        }
        ObjectNode body = A2aJson.JSON.createObjectNode();
        body.put("contextId", contextId);
        ArrayNode entries = body.putArray("entries");
        java.util.LinkedHashSet<String> tasks = new java.util.LinkedHashSet<>();
        try (KeyValueIterator<String, ContextEntry> it = stores.<String, ContextEntry>keyValueStore(AgentsStores.HISTORY,
                InstanceRouter.allowStale(ctx), partition).prefixScan(AgentsStores.contextPrefix(contextId),
                new StringSerializer())) {
            it.forEachRemaining(kv -> {
                ContextEntry e = kv.value;
                tasks.add(e.getTaskId());
                ObjectNode entry = entries.addObject();
                entry.put("taskId", e.getTaskId());
                entry.put("sequence", e.getSequence());
                entry.put("role", e.getRole() == MessageRole.USER ? "ROLE_USER" : "ROLE_AGENT");
                if (e.getAuthor() != null) {
                    entry.put("author", e.getAuthor());
                }
                if (e.getMessage() != null) {
                    entry.set("message", A2aJson.message(e.getMessage()));
                }
                ArrayNode artifacts = entry.putArray("artifacts");
                e.getArtifacts().forEach(a -> artifacts.add(A2aJson.artifact(a)));
                entry.put("state", "TASK_STATE_" + e.getState().name());
                entry.put("at", e.getAt().toString());
            });
        }
        if (tasks.isEmpty()) {
            throw ProblemException.notFound("no conversation " + contextId
                    + " (a finished task's part of it is kept for a while, then forgotten)");
        }
        tasks.forEach(body.putArray("tasks")::add);
        ctx.contentType("application/json").result(body.toString());
    }
}

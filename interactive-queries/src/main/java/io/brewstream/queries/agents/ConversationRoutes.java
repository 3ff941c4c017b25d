package io.brewstream.queries.agents;

import java.util.OptionalInt;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.platform.security.Role;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.schemas.agents.ContextEntry;
import io.brewstream.schemas.agents.MessageRole;
import io.brewstream.topologies.agents.AgentsStores;
import io.brewstream.topologies.agents.AgentsTopology;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * A conversation's (A2A context's) history, oldest first: what users asked and what agents answered or made, each
 * entry naming its task, from the router's store. A finished task's entries go with it after its retention.
 */
public final class ConversationRoutes implements HttpRoutes {
    public static final String PATH = "/api/v1/agents/contexts/{contextId}";
    private final LocalStores stores;
    private final InstanceRouter router;

    public ConversationRoutes(LocalStores stores, InstanceRouter router) {
        this.stores = stores;
        this.router = router;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, this::conversation, Role.STAFF, Role.MANAGER, Role.ANALYST);
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

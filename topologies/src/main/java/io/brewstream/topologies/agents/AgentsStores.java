package io.brewstream.topologies.agents;

/** The agents router's stores. */
public final class AgentsStores {
    /** Tasks by id. */
    public static final String TASKS = "agent-tasks";
    /** Agents by id: card, last heartbeat, up, tasks in flight. */
    public static final String AGENTS = "agents";
    /** Submissions' idempotency keys → task id. */
    public static final String IDEMPOTENCY = "agent-task-idempotency";
    /** Conversation (context) id → the agent it is with. */
    public static final String CONTEXTS = "agent-contexts";
    /** What is due when ({@code DeadlineKeys}: millis|taskId|kind) → taskId|kind. */
    public static final String DUE = "agent-task-due";
    /** Tasks waiting for an agent: skill|submitted millis|taskId → taskId. */
    public static final String WAITING = "agent-tasks-waiting";
    /** Each conversation's tasks: contextId|taskId → taskId (the A2A ListTasks read). */
    public static final String BY_CONTEXT = "agent-tasks-by-context";
    /** Tasks each agent holds: agentId|taskId → taskId. */
    public static final String HELD = "agent-tasks-held";

    /** What every key of a conversation's tasks starts with. */
    public static String contextPrefix(String contextId) {
        return contextId + "|";
    }

    private AgentsStores() {
    }
}

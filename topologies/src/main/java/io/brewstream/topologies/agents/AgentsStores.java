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
    /** Every task's events, for streams that resume after a sequence: taskId|sequence (19 digits) → event. */
    public static final String EVENTS = "agent-task-events";
    /** How many tasks are in each state now: state name → count (the dashboard's agents panel). */
    public static final String COUNTS = "agent-task-counts";
    /** Tasks that ended, newest last: millis|taskId → the final event (kept until the task is forgotten). */
    public static final String ENDED = "agent-tasks-ended";
    /** Tasks waiting for a person's answer: answer code ({@code AnswerCodes}) → taskId. */
    public static final String QUESTIONS = "agent-questions";
    /** Each conversation's history: contextId|millis|taskId|sequence → entry (the user's and agents' messages). */
    public static final String HISTORY = "agent-context-history";

    /** What every key of a conversation's tasks starts with. */
    public static String contextPrefix(String contextId) {
        return contextId + "|";
    }

    /** The key of a task's event: its events sort by sequence under {@link #taskPrefix}. */
    public static String eventKey(String taskId, long sequence) {
        String digits = Long.toString(sequence);
        return taskPrefix(taskId) + "0".repeat(Math.max(0, 19 - digits.length())) + digits;
    }

    /** The key of a history entry: a conversation's entries sort by time under {@link #contextPrefix}. */
    public static String historyKey(String contextId, long epochMillis, String taskId, long sequence) {
        return contextPrefix(contextId) + io.brewstream.topologies.runtime.DeadlineKeys.key(epochMillis,
                eventKey(taskId, sequence));
    }

    /** What every key of a task's events starts with. */
    public static String taskPrefix(String taskId) {
        return taskId + "|";
    }

    private AgentsStores() {
    }
}

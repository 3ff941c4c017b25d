package io.brewstream.topologies.agents;

import java.util.EnumSet;
import java.util.Set;

import io.brewstream.schemas.agents.TaskState;

/**
 * A2A's task states and who may move a task where. Terminal states (COMPLETED, FAILED, CANCELED, REJECTED) never
 * change. Only the router submits (SUBMITTED) and only the caller cancels (CANCELED); an agent moves a task it holds
 * to WORKING, INPUT_REQUIRED, AUTH_REQUIRED or a terminal state. Pure.
 */
public final class TaskStates {
    private static final Set<TaskState> TERMINAL = EnumSet.of(TaskState.COMPLETED, TaskState.FAILED, TaskState.CANCELED,
            TaskState.REJECTED);
    private static final Set<TaskState> AGENT_MAY_SET = EnumSet.of(TaskState.WORKING, TaskState.INPUT_REQUIRED,
            TaskState.AUTH_REQUIRED, TaskState.COMPLETED, TaskState.FAILED, TaskState.REJECTED);

    private TaskStates() {
    }

    public static boolean terminal(TaskState state) {
        return TERMINAL.contains(state);
    }

    /** Whether the agent that holds a task may report {@code to} for it now. */
    public static boolean agentMay(TaskState from, TaskState to) {
        return !terminal(from) && AGENT_MAY_SET.contains(to);
    }

    /** Whether the caller may cancel it now. */
    public static boolean cancelable(TaskState state) {
        return !terminal(state);
    }

    /** Whether a user's message may continue it now (it asked for input or authorisation). */
    public static boolean awaitsUser(TaskState state) {
        return state == TaskState.INPUT_REQUIRED || state == TaskState.AUTH_REQUIRED;
    }
}

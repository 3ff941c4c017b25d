package io.brewstream.schemas.agents;

/**
 * The skills of the built-in agents, by id: what domain events ask for (the router's intake) and what the agents
 * announce on their cards. One place, since both sides name them.
 */
public final class Skills {
    /** The inventory manager: a reorder proposal for a low stock. */
    public static final String PROPOSE_REORDER = "propose-reorder";
    /** The feedback analyst: a customer's feedback scored. */
    public static final String ANALYZE_FEEDBACK = "analyze-feedback";
    /** The notifier: a message to a shop's staff chats. */
    public static final String NOTIFY_STAFF = "notify-staff";
    /** The shop assistant (an LLM): a customer's chat question answered from the menu and the shop's state. */
    public static final String ANSWER_QUESTION = "answer-question";
    /** The beverage inventor: a new drink from a shop's surplus ingredients, for the manager to approve. */
    public static final String INVENT_BEVERAGE = "invent-beverage";
    /** The scheduler: barista shifts from the last weeks' orders per hour. */
    public static final String PROPOSE_SHIFTS = "propose-shifts";

    private Skills() {
    }
}

package io.brewstream.topologies.agents;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.schemas.agents.A2aMessage;
import io.brewstream.schemas.agents.MessageRole;
import io.brewstream.schemas.agents.Part;
import io.brewstream.schemas.agents.PartKind;
import io.brewstream.schemas.agents.Skills;
import io.brewstream.schemas.agents.TaskCommand;
import io.brewstream.schemas.agents.TaskCommandKind;
import io.brewstream.schemas.bots.ChatQuestion;
import io.brewstream.schemas.bots.Feedback;
import io.brewstream.schemas.inventory.LowStock;

/**
 * Domain events that become agents' tasks by themselves: a low stock asks for a reorder proposal, a customer's
 * feedback for an analysis, a chat question for an answer. Each task's id and idempotency key come from the event, so an event read twice is one
 * task; a shop's tasks of one kind share a conversation, so they stay with one agent while it lives. Pure.
 */
public final class DomainTasks {
    private DomainTasks() {
    }

    public static TaskCommand reorder(LowStock low) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("shopId", low.getShopId())
                .put("ingredientId", low.getIngredientId()).put("available", low.getAvailable())
                .put("threshold", low.getThreshold()).put("unit", low.getUnit().name())
                .put("detectedAt", low.getDetectedAt().toString());
        String id = "low-stock|" + low.getShopId() + "|" + low.getIngredientId() + "|" + low.getDetectedAt().toEpochMilli();
        String text = String.format(Locale.ROOT, "%s is low at %s (%d %s available, threshold %d): propose a reorder.",
                low.getIngredientId(), low.getShopId(), low.getAvailable(), low.getUnit().name().toLowerCase(Locale.ROOT),
                low.getThreshold());
        return submit(id, "shop-" + low.getShopId() + "-inventory", Skills.PROPOSE_REORDER, text, data.toString(),
                "inventory.low-stock", low.getDetectedAt());
    }

    public static TaskCommand analysis(Feedback feedback) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("feedbackId", feedback.getFeedbackId())
                .put("shopId", feedback.getShopId()).put("text", feedback.getText())
                .put("channel", feedback.getChannel().name()).put("receivedAt", feedback.getReceivedAt().toString());
        if (feedback.getRating() != null) {
            data.put("rating", feedback.getRating());
        }
        if (feedback.getOrderId() != null) {
            data.put("orderId", feedback.getOrderId());
        }
        if (feedback.getCustomerId() != null) {
            data.put("customerId", feedback.getCustomerId());
        }
        return submit("feedback|" + feedback.getFeedbackId(), "shop-" + feedback.getShopId() + "-feedback",
                Skills.ANALYZE_FEEDBACK, feedback.getText(), data.toString(), "bots.feedback", feedback.getReceivedAt());
    }

    /**
     * A customer's chat question for the shop's assistant: one conversation per chat, so a follow-up stays with the
     * agent that answered; answered within a minute or not at all (a chat does not wait longer).
     */
    public static TaskCommand question(ChatQuestion q) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("questionId", q.getQuestionId())
                .put("shopId", q.getShopId()).put("question", q.getText()).put("chatKey", q.getChatKey())
                .put("platform", q.getPlatform().name()).put("botName", q.getBotName());
        if (q.getCustomerId() != null) {
            data.put("customerId", q.getCustomerId());
        }
        TaskCommand command = submit("question|" + q.getQuestionId(), "chat-" + q.getChatKey(), Skills.ANSWER_QUESTION,
                q.getText(), data.toString(), "bots.questions", q.getAskedAt());
        command.setDeadline(q.getAskedAt().plus(QUESTION_DEADLINE));
        return command;
    }

    /** How long a chat question may take before it FAILS (the customer is told the assistant could not answer). */
    public static final java.time.Duration QUESTION_DEADLINE = java.time.Duration.ofMinutes(1);

    private static TaskCommand submit(String key, String contextId, String skill, String text, String data,
            String requestedBy, java.time.Instant at) {
        String taskId = "task-" + java.util.UUID.nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        A2aMessage message = A2aMessage.newBuilder().setMessageId("msg-" + taskId).setRole(MessageRole.USER)
                .setContextId(contextId).setParts(List.of(Part.newBuilder().setKind(PartKind.TEXT).setText(text).build(),
                        Part.newBuilder().setKind(PartKind.DATA).setData(data).build())).build();
        return TaskCommand.newBuilder().setCommandId("cmd-" + taskId).setKind(TaskCommandKind.SUBMIT).setTaskId(taskId)
                .setContextId(contextId).setSkill(skill).setMessage(message).setIdempotencyKey(key)
                .setRequestedBy(requestedBy).setAt(at).build();
    }
}

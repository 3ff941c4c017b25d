package io.brewstream.connectors.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.bots.StaffChat;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.schemas.agents.Skills;

/**
 * The notifier: tells a shop's staff chats (Telegram, Slack, Discord; from {@code bots.staff-chats}, read whole)
 * what a task asks, through the bots' outbound topic. Each notification's id comes from the task and the chat, so the
 * sender drops the repeat of a task answered twice. No linked staff chat: the task is REJECTED with that reason.
 */
public final class NotifierAgent extends TopicAgent {
    /** Shop id → chat key → chat. */
    private final Map<String, Map<String, StaffChat>> staffChats = new ConcurrentHashMap<>();

    public NotifierAgent(String bootstrapServers, AvroSerdes serdes, String agentId, Duration heartbeat) {
        super(bootstrapServers, serdes, agentId, heartbeat);
        reads(new TopicView<>(bootstrapServers, serdes, Topics.STAFF_CHATS, (key, chat, timestamp) -> {
            int colon = key.indexOf(':');
            String shopId = colon < 0 ? key : key.substring(0, colon);
            String chatKey = colon < 0 ? "" : key.substring(colon + 1);
            if (chat == null) {
                staffChats.getOrDefault(shopId, Map.of()).remove(chatKey);
            } else {
                staffChats.computeIfAbsent(shopId, s -> new ConcurrentHashMap<>()).put(chat.getChatKey(), chat);
            }
        }));
    }

    @Override
    protected AgentCard.Builder describe() {
        return AgentCard.newBuilder().setName("Notifier").setVersion("1.0.0")
                .setDescription("Sends a message to a shop's staff chats.")
                .setSkills(List.of(skill(Skills.NOTIFY_STAFF, "Notify staff",
                        "Sends the text (shopId, text) to every active staff chat of the shop.",
                        List.of("notify", "staff", "chat"),
                        List.of("{\"shopId\":\"berlin-mitte\",\"text\":\"Oat milk is running low.\"}"))))
                .setDefaultInputModes(List.of("application/json")).setDefaultOutputModes(List.of("application/json"))
                .setMaxConcurrency(64);
    }

    @Override
    protected Outcome work(AgentTask task) {
        JsonNode request = data(task).orElse(null);
        if (request == null || !request.path("shopId").isTextual() || !request.path("text").isTextual()) {
            return Outcome.rejected("shopId and text as data are needed");
        }
        String shopId = request.get("shopId").asText();
        List<StaffChat> active = staffChats.getOrDefault(shopId, Map.of()).values().stream()
                .filter(StaffChat::getActive).toList();
        if (active.isEmpty()) {
            return Outcome.rejected("no staff chat is linked to shop " + shopId + " (staff link a chat with a staff link code)");
        }
        ObjectNode data = JSON.createObjectNode().put("shopId", shopId);
        var recipients = data.putArray("recipients");
        for (StaffChat chat : active) {
            send(Topics.NOTIFICATIONS, chat.getChatKey(), OutboundNotification.newBuilder()
                    .setNotificationId("agent:" + task.getTaskId() + ":" + chat.getChatKey()).setChannel(chat.getPlatform())
                    .setRecipient(chat.getChatKey()).setBotName(chat.getBotName()).setText(request.get("text").asText())
                    .setCreatedAt(Instant.now()).build());
            recipients.add(chat.getChatKey());
        }
        return Outcome.completed(artifact("notified-" + task.getTaskId(), "notified",
                "Sent to " + active.size() + " staff chat(s) of " + shopId + ".", data));
    }
}

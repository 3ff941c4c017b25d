package io.brewstream.connectors.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.connectors.agents.ChatCompletionsClient.Turn;
import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.agents.Skills;
import io.brewstream.schemas.agents.TaskState;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/**
 * The shop assistant: a customer's chat question answered by a language model behind an OpenAI-compatible
 * chat-completions endpoint ({@link ChatCompletionsClient}), with the menu at the shop's prices and what is sold out
 * now as its facts ({@link AssistantPrompt}); the answer goes back to the chat through the bots' outbound topic.
 * A chat's last few turns go with a follow-up, so "and with oat milk?" is understood. When the endpoint does not
 * answer, the customer is told so and the task FAILS with what the endpoint said. Runs only with an endpoint
 * configured: without one it does not exist, so its skill is in no card.
 */
public final class ShopAssistantAgent extends TopicAgent {
    /** Turns of a chat kept for follow-ups (a question and its answer are two). */
    static final int TURNS_KEPT = 6;
    private static final int CHATS_KEPT = 10_000;
    private final ChatCompletionsClient model;
    private final ShopState shops;
    /** Conversation (one per chat) → its last turns, the least recently used forgotten first. */
    private final Map<String, Deque<Turn>> memory = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Turn>> eldest) {
            return size() > CHATS_KEPT;
        }
    };

    public ShopAssistantAgent(String bootstrapServers, AvroSerdes serdes, String agentId, Duration heartbeat,
            ChatCompletionsClient model) {
        super(bootstrapServers, serdes, agentId, heartbeat);
        this.model = model;
        this.shops = reads(new ShopState(bootstrapServers, serdes));
    }

    @Override
    protected AgentCard.Builder describe() {
        return AgentCard.newBuilder().setName("Shop assistant").setVersion("1.0.0")
                .setDescription("Answers customers' chat questions about a shop from its menu, prices and what is sold"
                        + " out, with a language model (" + model.model() + ").")
                .setSkills(List.of(skill(Skills.ANSWER_QUESTION, "Answer a customer's question",
                        "Answers a question (shopId, question; chatKey, platform and botName to answer in a chat) from"
                                + " the shop's menu, prices and stock now.", List.of("chat", "menu", "llm"),
                        List.of("{\"shopId\":\"berlin-mitte\",\"question\":\"Do you have oat milk?\"}"))))
                .setDefaultInputModes(List.of("application/json", "text/plain"))
                .setDefaultOutputModes(List.of("text/plain", "application/json")).setMaxConcurrency(8);
    }

    @Override
    protected Outcome work(AgentTask task) {
        JsonNode asked = data(task).orElse(null);
        if (asked == null || !asked.path("shopId").isTextual() || !asked.path("question").isTextual()) {
            return Outcome.rejected("a question as data is needed: shopId and question");
        }
        String shopId = asked.get("shopId").asText();
        ShopState.Facts facts = shops.facts(shopId);
        if (facts.shop().isEmpty()) {
            return Outcome.rejected("no shop " + shopId);
        }
        String question = asked.get("question").asText();
        Deque<Turn> earlier;
        synchronized (memory) {
            earlier = memory.computeIfAbsent(task.getConversationId(), c -> new ArrayDeque<>());
        }
        String answer;
        try {
            answer = model.complete(AssistantPrompt.build(facts, List.copyOf(earlier), question), piece -> { });
        } catch (ChatCompletionsClient.Unavailable e) {
            tell(task, asked, "Sorry, I cannot answer right now; please ask the staff at the counter.");
            return new Outcome(TaskState.FAILED, List.of(), e.getMessage(), null);
        }
        synchronized (memory) {
            earlier.addLast(new Turn(Turn.Role.USER, question));
            earlier.addLast(new Turn(Turn.Role.ASSISTANT, answer));
            while (earlier.size() > TURNS_KEPT) {
                earlier.removeFirst();
            }
        }
        boolean told = tell(task, asked, answer);
        ObjectNode data = JSON.createObjectNode().put("shopId", shopId).put("question", question).put("answer", answer)
                .put("model", model.model()).put("toldInChat", told);
        return Outcome.completed(artifact("answer-" + task.getTaskId(), "answer", answer, data));
    }

    /** The text to the chat the question came from, if it came from one; its id from the task, so a repeat is dropped. */
    private boolean tell(AgentTask task, JsonNode asked, String text) {
        if (!asked.path("chatKey").isTextual() || !asked.path("platform").isTextual()) {
            return false;
        }
        String chatKey = asked.get("chatKey").asText();
        send(Topics.NOTIFICATIONS, chatKey, OutboundNotification.newBuilder()
                .setNotificationId("agent:" + task.getTaskId() + ":answer").setChannel(Channel.valueOf(
                        asked.get("platform").asText())).setRecipient(chatKey).setBotName(asked.path("botName").asText(""))
                .setText(text).setCreatedAt(Instant.now()).build());
        return true;
    }

    @Override
    protected void closeViews() throws Exception {
        super.closeViews();
        model.close();
    }
}

package io.brewstream.connectors.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.schemas.agents.Skills;

/**
 * The inventory manager: a low stock becomes a reorder proposal, its quantity from the shop's recent use of the
 * ingredient (learned from {@code inventory.stock-levels}, read whole) and the delivery lead time
 * ({@link ReorderPolicy}); the proposal goes to the shop's staff through a {@code notify-staff} task of its own.
 */
public final class InventoryManagerAgent extends TopicAgent {
    private final ReorderPolicy policy;
    private final Map<String, ReorderPolicy.Consumption> consumption = new ConcurrentHashMap<>();

    public InventoryManagerAgent(String bootstrapServers, AvroSerdes serdes, String agentId, Duration heartbeat,
            ReorderPolicy policy) {
        super(bootstrapServers, serdes, agentId, heartbeat);
        this.policy = policy;
        reads(new TopicView<>(bootstrapServers, serdes, Topics.STOCK_LEVELS, (key, level, timestamp) -> {
            if (level != null) {
                ReorderPolicy.Consumption use = consumption.computeIfAbsent(key, k -> new ReorderPolicy.Consumption());
                synchronized (use) {
                    use.observe(level.getOnHand(), level.getUpdatedAt(), policy.window());
                }
            }
        }));
    }

    @Override
    protected AgentCard.Builder describe() {
        return AgentCard.newBuilder().setName("Inventory manager").setVersion("1.0.0")
                .setDescription("Proposes reorders for ingredients that run low, from recent use and the delivery lead time.")
                .setSkills(List.of(skill(Skills.PROPOSE_REORDER, "Propose a reorder",
                        "Given a low-stock event (shopId, ingredientId, available, threshold, unit), proposes how much to"
                                + " order and tells the shop's staff.", List.of("inventory", "reorder"),
                        List.of("{\"shopId\":\"berlin-mitte\",\"ingredientId\":\"oat-milk\",\"available\":800,"
                                + "\"threshold\":1000,\"unit\":\"MILLILITRE\"}"))))
                .setDefaultInputModes(List.of("application/json")).setDefaultOutputModes(List.of("application/json"))
                .setMaxConcurrency(16);
    }

    @Override
    protected Outcome work(AgentTask task) {
        JsonNode low = data(task).orElse(null);
        if (low == null || !low.path("shopId").isTextual() || !low.path("ingredientId").isTextual()
                || !low.path("available").isNumber() || !low.path("threshold").isNumber()) {
            return Outcome.rejected("a low-stock event as data is needed: shopId, ingredientId, available, threshold");
        }
        String shopId = low.get("shopId").asText();
        String ingredientId = low.get("ingredientId").asText();
        String unit = low.path("unit").asText("UNIT").toLowerCase(Locale.ROOT);
        ReorderPolicy.Consumption use = consumption.computeIfAbsent(shopId + ":" + ingredientId,
                k -> new ReorderPolicy.Consumption());
        ReorderPolicy.Proposal proposal;
        synchronized (use) {
            proposal = policy.propose(use, low.get("available").asLong(), low.get("threshold").asLong(), Instant.now());
        }
        ObjectNode data = JSON.createObjectNode().put("shopId", shopId).put("ingredientId", ingredientId)
                .put("quantity", proposal.quantity()).put("unit", unit)
                .put("dailyUse", Math.round(proposal.dailyUse() * 10) / 10.0)
                .put("leadTime", policy.leadTime().toString()).put("cover", policy.cover().toString())
                .put("available", proposal.available()).put("threshold", proposal.threshold()).put("why", proposal.why());
        String text = String.format(Locale.ROOT, "Reorder proposal for %s: %d %s of %s (%s).", shopId,
                proposal.quantity(), unit, ingredientId, proposal.why());
        // the agents work together: the notifier tells the shop's staff
        submit(task, Skills.NOTIFY_STAFF, "reorder|" + task.getTaskId(), message("msg-reorder-" + task.getTaskId(),
                text, JSON.createObjectNode().put("shopId", shopId).put("text", text)));
        return Outcome.completed(artifact("reorder-" + task.getTaskId(), "reorder-proposal", text, data));
    }
}

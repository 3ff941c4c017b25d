package io.brewstream.connectors.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.schemas.agents.A2aMessage;
import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.agents.AnswerCodes;
import io.brewstream.schemas.agents.Artifact;
import io.brewstream.schemas.agents.MessageRole;
import io.brewstream.schemas.agents.Part;
import io.brewstream.schemas.agents.PartKind;
import io.brewstream.schemas.agents.Skills;
import io.brewstream.schemas.serde.AvroSerdes;

/**
 * The beverage inventor: a new drink from a shop's surplus ingredients ({@link BeverageInvention}), priced within the
 * menu's bounds, put to the shop's staff as a question (human in the loop): the task waits in INPUT_REQUIRED, the
 * notifier posts the proposal to the shop's staff chats with its answer code, and a "yes" there
 * ({@code /answer CODE yes}), on the dashboard or over A2A approves it; anything else, or nobody answering by the
 * reply window, declines it. The proposal travels with the task as its artifact, so the agent keeps no state.
 */
public final class BeverageInventorAgent extends TopicAgent {
    private static final String PROPOSAL = "beverage-proposal";
    private static final Set<String> YES = Set.of("yes", "y", "ok", "okay", "approve", "approved", "sure", "ja", "add it");
    private final ShopState shops;
    private final BeverageInvention invention;
    private final Duration replyWindow;

    public BeverageInventorAgent(String bootstrapServers, AvroSerdes serdes, String agentId, Duration heartbeat,
            BeverageInvention invention, Duration replyWindow) {
        super(bootstrapServers, serdes, agentId, heartbeat);
        this.shops = reads(new ShopState(bootstrapServers, serdes));
        this.invention = invention;
        this.replyWindow = replyWindow;
    }

    @Override
    protected AgentCard.Builder describe() {
        return AgentCard.newBuilder().setName("Beverage inventor").setVersion("1.0.0")
                .setDescription("Proposes a new drink from a shop's surplus ingredients, priced within the menu's"
                        + " bounds, and asks the shop's staff to approve it.")
                .setSkills(List.of(skill(Skills.INVENT_BEVERAGE, "Invent a beverage",
                        "Given a shopId, proposes a drink that uses the ingredient the shop has most to spare and asks"
                                + " the shop's staff (answer yes or no).", List.of("menu", "inventory", "human-in-the-loop"),
                        List.of("{\"shopId\":\"berlin-mitte\"}"))))
                .setDefaultInputModes(List.of("application/json")).setDefaultOutputModes(List.of("application/json"))
                .setMaxConcurrency(8);
    }

    @Override
    protected Outcome work(AgentTask task) {
        Optional<Artifact> asked = task.getArtifacts().stream().filter(a -> PROPOSAL.equals(a.getName())).findFirst();
        return asked.isPresent() ? decide(task, asked.get()) : propose(task);
    }

    private Outcome propose(AgentTask task) {
        JsonNode request = data(task).orElse(null);
        if (request == null || !request.path("shopId").isTextual()) {
            return Outcome.rejected("a shopId as data is needed");
        }
        String shopId = request.get("shopId").asText();
        ShopState.Facts facts = shops.facts(shopId);
        if (facts.shop().isEmpty()) {
            return Outcome.rejected("no shop " + shopId);
        }
        BeverageInvention.Invention idea = invention.propose(facts.menu(), facts.prices(), facts.stock(), facts.recipes());
        if (idea instanceof BeverageInvention.Nothing nothing) {
            return Outcome.completed(artifact("no-proposal-" + task.getTaskId(), "no-proposal",
                    "Nothing to propose at " + shopId + ": " + nothing.why() + ".",
                    JSON.createObjectNode().put("shopId", shopId).put("why", nothing.why())));
        }
        BeverageInvention.Proposal p = (BeverageInvention.Proposal) idea;
        String price = BeverageInvention.money(p.price().getAmountMinor(), p.price().getCurrency());
        ObjectNode data = JSON.createObjectNode().put("shopId", shopId).put("name", p.name())
                .put("menuItemId", p.menuItemId()).put("baseMenuItemId", p.base().getMenuItemId())
                .put("priceMinor", p.price().getAmountMinor()).put("currency", p.price().getCurrency())
                .put("minPriceMinor", p.base().getMinPrice().getAmountMinor())
                .put("maxPriceMinor", p.base().getMaxPrice().getAmountMinor()).put("why", p.why());
        ArrayNode recipe = data.putArray("recipe");
        p.recipe().forEach(q -> recipe.addObject().put("ingredientId", q.getIngredientId())
                .put("quantity", q.getQuantity()).put("unit", q.getUnit().name()));
        String text = String.format(Locale.ROOT, "New drink for %s: %s at %s (%s + %d %s %s). %s", facts.shop().get()
                .getName(), p.name(), price, p.base().getName(), p.added().getQuantity(),
                p.added().getUnit().name().toLowerCase(Locale.ROOT), p.added().getIngredientId(), p.why());
        String code = AnswerCodes.of(task.getTaskId());
        Instant replyBy = Instant.now().plus(replyWindow);
        String question = text + " Add it to the menu? Answer yes or no: /answer " + code + " yes (no answer by "
                + localTime(replyBy, facts.shop().get().getTimezone()) + " declines it).";
        // the notifier puts the question to the shop's staff chats
        submit(task, Skills.NOTIFY_STAFF, "ask|" + task.getTaskId(), message("msg-ask-" + task.getTaskId(), question,
                JSON.createObjectNode().put("shopId", shopId).put("text", question)));
        A2aMessage ask = A2aMessage.newBuilder().setMessageId("ask-" + task.getTaskId()).setRole(MessageRole.AGENT)
                .setContextId(task.getConversationId()).setTaskId(task.getTaskId()).setParts(List.of(
                        Part.newBuilder().setKind(PartKind.TEXT).setText("Add " + p.name() + " at " + price
                                + " to the menu of " + shopId + "? Answer yes or no.").build())).build();
        return Outcome.ask(ask, List.of(artifact("proposal-" + task.getTaskId(), PROPOSAL, text, data)),
                new Question(replyBy, "no", shopId));
    }

    /** "17:45 Europe/Berlin": when, as the shop's staff read their clocks. */
    private static String localTime(Instant at, String timezone) {
        java.time.ZoneId zone;
        try {
            zone = java.time.ZoneId.of(timezone);
        } catch (java.time.DateTimeException e) {
            zone = java.time.ZoneOffset.UTC;
        }
        return java.time.format.DateTimeFormatter.ofPattern("HH:mm").format(at.atZone(zone)) + " " + zone.getId();
    }

    /** The person's answer to the proposal it made: approved on a yes, declined otherwise. */
    private Outcome decide(AgentTask task, Artifact proposal) {
        JsonNode data = proposal.getParts().stream().filter(p -> p.getKind() == PartKind.DATA).findFirst()
                .map(p -> {
                    try {
                        return JSON.readTree(p.getData());
                    } catch (java.io.IOException e) {
                        return null;
                    }
                }).orElse(null);
        if (data == null) {
            return Outcome.rejected("the proposal it asked about is unreadable");
        }
        String answer = task.getMessage() == null ? "" : task.getMessage().getParts().stream()
                .filter(p -> p.getKind() == PartKind.TEXT).map(Part::getText).findFirst().orElse("").trim();
        String first = answer.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L} ]", " ").trim();
        boolean approved = YES.contains(first) || YES.stream().anyMatch(y -> first.startsWith(y + " "));
        String shopId = data.path("shopId").asText();
        String name = data.path("name").asText();
        String price = BeverageInvention.money(data.path("priceMinor").asLong(), data.path("currency").asText());
        ObjectNode decision = ((ObjectNode) data.deepCopy()).put("approved", approved).put("answer", answer);
        String text = approved
                ? "Approved: " + name + " at " + price + " for " + shopId + " (add it to the menu in the back office as "
                        + data.path("menuItemId").asText() + ")."
                : "Declined: " + name + " for " + shopId + " (the answer was \"" + answer + "\").";
        if (approved) {
            submit(task, Skills.NOTIFY_STAFF, "approved|" + task.getTaskId(), message("msg-approved-" + task.getTaskId(),
                    text, JSON.createObjectNode().put("shopId", shopId).put("text", text)));
        }
        return Outcome.completed(artifact("decision-" + task.getTaskId(), approved ? "approved-beverage"
                : "declined-beverage", text, decision));
    }
}

package io.brewstream.connectors.agents;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.agents.Skills;

/**
 * The feedback analyst: scores a customer's feedback with a lexicon ({@link FeedbackLexicon}); bad feedback raises a
 * task for the shop manager, which the notifier takes to the shop's staff chats.
 */
public final class FeedbackAnalystAgent extends TopicAgent {

    public FeedbackAnalystAgent(String bootstrapServers, AvroSerdes serdes, String agentId, Duration heartbeat) {
        super(bootstrapServers, serdes, agentId, heartbeat);
    }

    @Override
    public FeedbackAnalystAgent start() {
        super.start();
        return this;
    }

    @Override
    protected AgentCard.Builder describe() {
        return AgentCard.newBuilder().setName("Feedback analyst").setVersion("1.0.0")
                .setDescription("Scores customers' feedback and raises the bad ones with the shop manager.")
                .setSkills(List.of(skill(Skills.ANALYZE_FEEDBACK, "Analyze feedback",
                        "Scores feedback (shopId, text, optional rating 1-5) in [-1, 1] with the words behind it; bad"
                                + " feedback goes to the shop manager.", List.of("feedback", "sentiment"),
                        List.of("{\"shopId\":\"berlin-mitte\",\"text\":\"the latte was cold and the staff rude\"}"))))
                .setDefaultInputModes(List.of("application/json", "text/plain"))
                .setDefaultOutputModes(List.of("application/json")).setMaxConcurrency(32);
    }

    @Override
    protected Outcome work(AgentTask task) {
        JsonNode feedback = data(task).orElse(null);
        if (feedback == null || !feedback.path("shopId").isTextual() || !feedback.path("text").isTextual()) {
            return Outcome.rejected("feedback as data is needed: shopId and text (rating optional)");
        }
        String shopId = feedback.get("shopId").asText();
        String text = feedback.get("text").asText();
        FeedbackLexicon.Score score = FeedbackLexicon.score(text,
                feedback.path("rating").isInt() ? feedback.get("rating").asInt() : null);
        ObjectNode data = JSON.createObjectNode().put("shopId", shopId).put("score", score.score())
                .put("sentiment", score.bad() ? "bad" : score.score() >= 0.25 ? "good" : "neutral")
                .put("bad", score.bad());
        score.evidence().forEach(data.putArray("evidence")::add);
        if (feedback.path("feedbackId").isTextual()) {
            data.put("feedbackId", feedback.get("feedbackId").asText());
        }
        String summary = String.format(Locale.ROOT, "Feedback at %s scored %.2f (%s): %s", shopId, score.score(),
                data.get("sentiment").asText(), String.join(", ", score.evidence()));
        if (score.bad()) {
            String alert = String.format(Locale.ROOT, "For the shop manager: bad feedback at %s (score %.2f; %s): \"%s\"",
                    shopId, score.score(), String.join(", ", score.evidence()), text);
            submit(task, Skills.NOTIFY_STAFF, "feedback|" + task.getTaskId(), message("msg-feedback-"
                    + task.getTaskId(), alert, JSON.createObjectNode().put("shopId", shopId).put("text", alert)
                    .put("audience", "manager")));
            data.put("raised", "notify-staff");
        }
        return Outcome.completed(artifact("analysis-" + task.getTaskId(), "feedback-analysis", summary, data));
    }
}

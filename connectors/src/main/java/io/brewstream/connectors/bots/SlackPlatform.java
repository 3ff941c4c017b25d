package io.brewstream.connectors.bots;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.schemas.bots.NotificationButton;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.common.Channel;

/**
 * Slack through its Web API, as Slack documents it: {@code POST <api>/chat.postMessage} (or {@code chat.update}
 * for an edit, by channel and {@code ts}) with the bot token as a Bearer token and a JSON body; buttons are an
 * {@code actions} block whose buttons carry the data as their {@code value}. Slack answers HTTP 200 with
 * {@code {"ok":false,"error":"..."}} for most failures and HTTP 429 with {@code Retry-After} when a limit is hit;
 * chat.postMessage allows about one message a second per channel.
 */
public final class SlackPlatform extends HttpChatPlatform {
    public static final String DEFAULT_API_URL = "https://slack.com/api";
    /** The channel is gone for the bot: it was archived, the bot was removed, the account closed. */
    private static final Set<String> GONE = Set.of("channel_not_found", "not_in_channel", "is_archived",
            "account_inactive", "user_disabled");
    /** Slack's own trouble: worth another try later. */
    private static final Set<String> TRANSIENT = Set.of("internal_error", "fatal_error", "service_unavailable",
            "request_timeout", "ratelimited");

    public SlackPlatform(String apiUrl, int botPerSecond, Duration chatInterval) {
        super(apiUrl, botPerSecond, chatInterval);
    }

    /** One message a second per channel (chat.postMessage's documented limit), 20 a second per app in all. */
    public static SlackPlatform withSlacksLimits(String apiUrl) {
        return new SlackPlatform(apiUrl, 20, Duration.ofSeconds(1));
    }

    @Override
    public Channel channel() {
        return Channel.SLACK;
    }

    @Override
    public CompletableFuture<Outcome> deliver(OutboundNotification n, String chatId, String token, boolean firstAttempt) {
        if (n.getText().isEmpty()) {
            return CompletableFuture.completedFuture(Outcome.sent()); // a button's acknowledgement: the webhook gave it
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("channel", chatId);
        String text = n.getText().length() > 4000 ? n.getText().substring(0, 4000) : n.getText();
        body.put("text", text);
        body.set("blocks", blocks(text, n.getButtons()));
        String method = "chat.postMessage";
        if (n.getEditMessageId() != null) {
            method = "chat.update";
            body.put("ts", n.getEditMessageId());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/" + method)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return send(request, SlackPlatform::outcome);
    }

    /** The text as a section, then the buttons (at most 25 in an actions block). */
    static ArrayNode blocks(String text, List<NotificationButton> buttons) {
        ArrayNode blocks = JSON.createArrayNode();
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", text);
        if (!buttons.isEmpty()) {
            ArrayNode elements = blocks.addObject().put("type", "actions").putArray("elements");
            for (int i = 0; i < Math.min(25, buttons.size()); i++) {
                ObjectNode button = elements.addObject().put("type", "button").put("action_id", "b" + i)
                        .put("value", buttons.get(i).getData());
                button.putObject("text").put("type", "plain_text").put("text", buttons.get(i).getText());
            }
        }
        return blocks;
    }

    private static Outcome outcome(HttpResponse<String> response) {
        if (response.statusCode() == 429) {
            long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
            return new Outcome(Result.RETRY_CHAT, 429, "rate limited", Duration.ofSeconds(seconds));
        }
        if (response.statusCode() != 200) {
            return Outcome.ofStatus(response.statusCode(), "HTTP " + response.statusCode(), null, false);
        }
        try {
            JsonNode json = JSON.readTree(response.body());
            if (json.path("ok").asBoolean(false)) {
                return Outcome.sent();
            }
            String error = json.path("error").asText("unknown_error");
            Result result = GONE.contains(error) ? Result.BLOCKED
                    : TRANSIENT.contains(error) ? Result.SERVER_ERROR : Result.REJECTED;
            return new Outcome(result, 200, error, null);
        } catch (IOException e) {
            return new Outcome(Result.SERVER_ERROR, 200, "HTTP 200, not JSON", null);
        }
    }
}

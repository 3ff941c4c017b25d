package io.brewstream.connectors.bots;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.schemas.bots.NotificationButton;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.common.Channel;

/**
 * Discord through its HTTP API (v10), as Discord documents it. While the interaction's token is valid (15
 * minutes), replies are follow-up messages, {@code POST <api>/webhooks/{application id}/{token}}, and an edit
 * changes the interaction's message, {@code PATCH .../messages/@original}; neither takes the bot token. Later
 * notifications (an order ready an hour on) are channel messages with the bot token,
 * {@code POST <api>/channels/{channel id}/messages} with {@code Authorization: Bot <token>}. Buttons are action
 * rows of at most five buttons, their {@code custom_id} the data. A 429 says {@code retry_after} (seconds,
 * fractional) and whether the limit hit is the bot's {@code global} one; a 403 means the bot may not write there.
 */
public final class DiscordPlatform extends HttpChatPlatform {
    public static final String DEFAULT_API_URL = "https://discord.com/api/v10";

    public DiscordPlatform(String apiUrl, int botPerSecond, Duration chatInterval) {
        super(apiUrl, botPerSecond, chatInterval);
    }

    /** Discord's global limit of 50 requests a second per bot; five messages per five seconds per channel. */
    public static DiscordPlatform withDiscordsLimits(String apiUrl) {
        return new DiscordPlatform(apiUrl, 50, Duration.ofSeconds(1));
    }

    @Override
    public Channel channel() {
        return Channel.DISCORD;
    }

    @Override
    public boolean needsToken(OutboundNotification notification) {
        return notification.getReplyToken() == null && !notification.getText().isEmpty();
    }

    @Override
    public CompletableFuture<Outcome> deliver(OutboundNotification n, String chatId, String token, boolean firstAttempt) {
        if (n.getText().isEmpty()) {
            return CompletableFuture.completedFuture(Outcome.sent()); // the webhook's deferred answer acknowledged it
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("content", n.getText().length() > 2000 ? n.getText().substring(0, 2000) : n.getText());
        body.set("components", components(n.getButtons()));
        body.putObject("allowed_mentions").putArray("parse"); // a customer's text never pings anyone
        String path;
        String method;
        if (n.getReplyToken() != null) {
            path = "/webhooks/" + n.getReplyToken() + (n.getEditMessageId() != null ? "/messages/@original" : "");
            method = n.getEditMessageId() != null ? "PATCH" : "POST";
        } else {
            path = "/channels/" + chatId + "/messages" + (n.getEditMessageId() != null ? "/" + n.getEditMessageId() : "");
            method = n.getEditMessageId() != null ? "PATCH" : "POST";
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        if (n.getReplyToken() == null) {
            request.header("Authorization", "Bot " + token);
        }
        return send(request.build(), DiscordPlatform::outcome);
    }

    /** Action rows (type 1) of up to five primary buttons (type 2, style 1). */
    static ArrayNode components(List<NotificationButton> buttons) {
        ArrayNode rows = JSON.createArrayNode();
        for (int i = 0; i < Math.min(25, buttons.size()); i += 5) {
            ArrayNode row = rows.addObject().put("type", 1).putArray("components");
            for (NotificationButton button : buttons.subList(i, Math.min(i + 5, buttons.size()))) {
                row.addObject().put("type", 2).put("style", 1)
                        .put("label", button.getText().length() > 80 ? button.getText().substring(0, 80) : button.getText())
                        .put("custom_id", button.getData());
            }
        }
        return rows;
    }

    private static Outcome outcome(HttpResponse<String> response) {
        String description = "HTTP " + response.statusCode();
        Duration retryAfter = null;
        boolean global = false;
        if (response.statusCode() >= 400) {
            try {
                JsonNode json = JSON.readTree(response.body());
                description = json.path("message").asText(description)
                        + (json.has("code") ? " (code " + json.path("code").asInt() + ")" : "");
                if (json.path("retry_after").isNumber()) {
                    retryAfter = Duration.ofMillis(Math.max(1, Math.round(json.path("retry_after").asDouble() * 1000)));
                }
                global = json.path("global").asBoolean(false);
            } catch (IOException e) {
                // not JSON (a proxy's page): the status alone decides
            }
        }
        return Outcome.ofStatus(response.statusCode(), description, retryAfter == null ? Duration.ofSeconds(1) : retryAfter,
                global);
    }
}

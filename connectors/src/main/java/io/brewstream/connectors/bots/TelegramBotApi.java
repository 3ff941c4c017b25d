package io.brewstream.connectors.bots;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.schemas.bots.NotificationButton;

/**
 * The few Bot API methods the sender calls ({@code sendMessage}, {@code editMessageText}, {@code answerCallbackQuery}), over HTTPS as
 * Telegram documents them: {@code POST <api>/bot<token>/<method>} with a JSON body; the answer is
 * {@code {"ok":true,"result":...}} or {@code {"ok":false,"error_code":N,"description":"...","parameters":
 * {"retry_after":S}}}.
 */
public final class TelegramBotApi {
    /** What Telegram answered. {@code retryAfterSeconds} is set on a 429. */
    public record Answer(boolean ok, int status, String description, Integer retryAfterSeconds, JsonNode result) {
        Answer(boolean ok, int status, String description, Integer retryAfterSeconds) {
            this(ok, status, description, retryAfterSeconds, null);
        }

        static Answer unreachable(Throwable e) {
            return new Answer(false, 0, "unreachable: " + e.getClass().getSimpleName() + " " + e.getMessage(), null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String apiUrl;

    public TelegramBotApi(String apiUrl) {
        this.apiUrl = apiUrl.replaceAll("/+$", "");
    }

    public CompletableFuture<Answer> sendMessage(String token, long chatId, String text, List<NotificationButton> buttons) {
        ObjectNode body = JSON.createObjectNode();
        body.put("chat_id", chatId);
        body.put("text", text.length() > 4096 ? text.substring(0, 4096) : text);
        if (!buttons.isEmpty()) {
            ArrayNode rows = body.putObject("reply_markup").putArray("inline_keyboard");
            for (NotificationButton button : buttons) {
                rows.addArray().addObject().put("text", button.getText()).put("callback_data", button.getData());
            }
        }
        return call(token, "sendMessage", body);
    }

    /** {@code editMessageText}: the message's text replaced, its inline keyboard replaced by these buttons (none: gone). */
    public CompletableFuture<Answer> editMessageText(String token, long chatId, long messageId, String text,
            List<NotificationButton> buttons) {
        ObjectNode body = JSON.createObjectNode();
        body.put("chat_id", chatId);
        body.put("message_id", messageId);
        body.put("text", text.length() > 4096 ? text.substring(0, 4096) : text);
        ArrayNode rows = body.putObject("reply_markup").putArray("inline_keyboard");
        for (NotificationButton button : buttons) {
            rows.addArray().addObject().put("text", button.getText()).put("callback_data", button.getData());
        }
        return call(token, "editMessageText", body);
    }

    public CompletableFuture<Answer> answerCallbackQuery(String token, String callbackQueryId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("callback_query_id", callbackQueryId);
        return call(token, "answerCallbackQuery", body);
    }

    /**
     * {@code setWebhook}: where Telegram sends the bot's updates, the secret it sends with them, the update kinds
     * the bots use, and whether to drop what is pending.
     */
    public CompletableFuture<Answer> setWebhook(String token, String url, String secret, boolean dropPendingUpdates) {
        ObjectNode body = JSON.createObjectNode();
        body.put("url", url);
        body.put("secret_token", secret);
        body.putArray("allowed_updates").add("message").add("edited_message").add("callback_query");
        body.put("drop_pending_updates", dropPendingUpdates);
        return call(token, "setWebhook", body);
    }

    /** {@code getWebhookInfo}: the webhook's URL, pending update count and last error. */
    public CompletableFuture<Answer> getWebhookInfo(String token) {
        return call(token, "getWebhookInfo", JSON.createObjectNode());
    }

    private CompletableFuture<Answer> call(String token, String method, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/bot" + token + "/" + method))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(TelegramBotApi::answer)
                .exceptionally(Answer::unreachable);
    }

    private static Answer answer(HttpResponse<String> response) {
        try {
            JsonNode json = JSON.readTree(response.body());
            boolean ok = json.path("ok").asBoolean(false);
            JsonNode retryAfter = json.path("parameters").path("retry_after");
            return new Answer(ok, json.path("error_code").asInt(response.statusCode()),
                    json.path("description").asText(ok ? "" : "HTTP " + response.statusCode()),
                    retryAfter.canConvertToInt() ? retryAfter.asInt() : null, json.path("result"));
        } catch (IOException e) {
            return new Answer(false, response.statusCode(), "HTTP " + response.statusCode() + ", not JSON", null);
        }
    }
}

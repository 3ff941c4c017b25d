package io.brewstream.ingress.bots;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.schemas.bots.ChatEvent;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.common.GeoPoint;

/**
 * The Bot API's {@code Update} object as a chat event: a {@code message} or {@code edited_message} with text or
 * a location, or a {@code callback_query} with its data (a button). Field names as Telegram documents them
 * (https://core.telegram.org/bots/api#update).
 */
final class TelegramUpdates {
    private TelegramUpdates() {
    }

    /** The record to write, or null when the update is of a kind the bots do not use. Malformed: a 400. */
    static ChatEvent of(String bot, JsonNode update, Instant receivedAt) {
        long updateId = update.path("update_id").asLong();
        if (update.has("message") || update.has("edited_message")) {
            String kind = update.has("message") ? "message" : "edited_message";
            JsonNode message = update.path(kind);
            JsonNode location = message.path("location");
            boolean located = location.path("latitude").isNumber() && location.path("longitude").isNumber();
            if (!message.path("text").isTextual() && !located) {
                return null; // a sticker, a photo, a join: nothing for the bots to read
            }
            JsonNode chat = chat(message, kind);
            return builder(bot, updateId, kind, chat, message.path("from"), receivedAt)
                    .setMessageId(message.path("message_id").asText())
                    .setText(message.path("text").isTextual() ? cut(message.path("text").asText(), 4096) : null)
                    .setLocation(located ? GeoPoint.newBuilder().setLatitude(location.path("latitude").asDouble())
                            .setLongitude(location.path("longitude").asDouble()).build() : null)
                    .setMessageDate(TelegramWebhookRoutes.seconds(message.path("date")))
                    .build();
        }
        if (update.has("callback_query")) {
            JsonNode query = update.path("callback_query");
            if (!query.path("id").isTextual()) {
                throw ChatWebhooks.invalid("callback_query.id", "is required");
            }
            JsonNode message = query.path("message");
            if (message.isMissingNode()) {
                return null; // a button on an inline-mode message: no chat to answer in
            }
            JsonNode chat = chat(message, "callback_query.message");
            return builder(bot, updateId, "button", chat, query.path("from"), receivedAt)
                    .setMessageId(message.path("message_id").asText())
                    .setCallbackId(query.path("id").asText())
                    .setCallbackData(query.path("data").isTextual() ? cut(query.path("data").asText(), 64) : null)
                    .setMessageDate(receivedAt)
                    .build();
        }
        return null; // channel posts, inline queries, polls, member updates...: accepted and ignored
    }

    private static JsonNode chat(JsonNode message, String where) {
        JsonNode chat = message.path("chat");
        if (!chat.path("id").canConvertToLong()) {
            throw ChatWebhooks.invalid(where + ".chat.id", "is required");
        }
        return chat;
    }

    private static ChatEvent.Builder builder(String bot, long updateId, String kind, JsonNode chat, JsonNode from,
            Instant receivedAt) {
        return ChatEvent.newBuilder()
                .setPlatform(Channel.TELEGRAM)
                .setBotName(bot)
                .setEventId(Long.toString(updateId))
                .setKind(kind)
                .setChatId(Long.toString(chat.path("id").asLong()))
                .setChatType(chat.path("type").isTextual() ? chat.path("type").asText() : null)
                .setUserId(from.path("id").canConvertToLong() ? Long.toString(from.path("id").asLong()) : null)
                .setUsername(from.path("username").isTextual() ? cut(from.path("username").asText(), 64) : null)
                .setReceivedAt(receivedAt);
    }

    private static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }
}

package io.brewstream.connectors.bots;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.common.Channel;

/**
 * Telegram through the Bot API: {@code answerCallbackQuery} first when the notification answers a button, then
 * {@code sendMessage} or {@code editMessageText}. Limits as Telegram states them: 30 messages a second per bot, one
 * a second per chat, 20 a minute per group (group and supergroup ids are negative).
 */
public final class TelegramPlatform implements ChatPlatform {
    private final TelegramBotApi api;
    private final int botPerSecond;
    private final Duration chatInterval;
    private final int groupPerMinute;

    public TelegramPlatform(TelegramBotApi api, int botPerSecond, Duration chatInterval, int groupPerMinute) {
        this.api = api;
        this.botPerSecond = botPerSecond;
        this.chatInterval = chatInterval;
        this.groupPerMinute = groupPerMinute;
    }

    /** Telegram's documented limits. */
    public static TelegramPlatform withTelegramsLimits(String apiUrl) {
        return new TelegramPlatform(new TelegramBotApi(apiUrl), 30, Duration.ofSeconds(1), 20);
    }

    @Override
    public Channel channel() {
        return Channel.TELEGRAM;
    }

    @Override
    public int botPerSecond() {
        return botPerSecond;
    }

    @Override
    public Duration chatInterval(String chatId) {
        return chatId.startsWith("-") ? Duration.ofMinutes(1).dividedBy(groupPerMinute) : chatInterval;
    }

    @Override
    public CompletableFuture<Outcome> deliver(OutboundNotification n, String chatId, String token, boolean firstAttempt) {
        long chat = Long.parseLong(chatId);
        CompletableFuture<TelegramBotApi.Answer> answered = n.getCallbackQueryId() == null || !firstAttempt
                ? CompletableFuture.completedFuture(null)
                : api.answerCallbackQuery(token, n.getCallbackQueryId());
        return answered.thenCompose(callback -> {
            if (n.getText().isEmpty()) {
                return CompletableFuture.completedFuture(callback);
            }
            return n.getEditMessageId() != null
                    ? api.editMessageText(token, chat, Long.parseLong(n.getEditMessageId()), n.getText(), n.getButtons())
                    : api.sendMessage(token, chat, n.getText(), n.getButtons());
        }).thenApply(TelegramPlatform::outcome);
    }

    private static Outcome outcome(TelegramBotApi.Answer answer) {
        if (answer == null || answer.ok()) {
            return Outcome.sent();
        }
        if (answer.status() == 0) {
            return new Outcome(Result.SERVER_ERROR, 0, answer.description(), null);
        }
        return Outcome.ofStatus(answer.status(), answer.description(),
                Duration.ofSeconds(answer.retryAfterSeconds() == null ? 1 : answer.retryAfterSeconds()), false);
    }
}

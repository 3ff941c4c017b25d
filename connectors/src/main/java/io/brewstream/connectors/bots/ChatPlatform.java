package io.brewstream.connectors.bots;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.common.Channel;

/**
 * One chat platform as the {@link ChatSender} uses it: its documented limits, and one notification delivered
 * through its API (a new message, an edit of one, a callback answered), its answer classified.
 */
public interface ChatPlatform {
    Channel channel();

    /** Messages a second one bot (one app) may send in all (Telegram: 30; Discord: 50). */
    int botPerSecond();

    /** The shortest time between two messages to one chat (Telegram: 1 s, or 3 s in a group: 20 a minute). */
    Duration chatInterval(String chatId);

    /** Whether sending this notification takes the bot's token (a Discord follow-up takes the interaction's). */
    default boolean needsToken(OutboundNotification notification) {
        return true;
    }

    /**
     * Delivers one notification to a chat.
     *
     * @param firstAttempt a callback query is answered only on the first attempt (Telegram accepts one answer)
     */
    CompletableFuture<Outcome> deliver(OutboundNotification notification, String chatId, String token, boolean firstAttempt);

    /** How a delivery ended. */
    enum Result {
        /** Delivered. */
        SENT,
        /** A 429 for this chat: it waits {@code retryAfter}, no other chat does. */
        RETRY_CHAT,
        /** A 429 for the whole bot (Discord's global limit): every chat of the bot waits {@code retryAfter}. */
        RETRY_BOT,
        /** Unreachable or a 5xx: retried with backoff. */
        SERVER_ERROR,
        /** The person blocked the bot, left, or the channel is gone: the chat is inactive. */
        BLOCKED,
        /** The platform refuses this notification for good (bad request, bad token). */
        REJECTED
    }

    /** A delivery's outcome with the platform's status and words. */
    record Outcome(Result result, int status, String description, Duration retryAfter) {
        public static Outcome sent() {
            return new Outcome(Result.SENT, 200, "", null);
        }

        static Outcome unreachable(Throwable e) {
            return new Outcome(Result.SERVER_ERROR, 0, "unreachable: " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    null);
        }

        /** The usual reading of an HTTP status, for the platforms that answer errors with one. */
        static Outcome ofStatus(int status, String description, Duration retryAfter, boolean wholeBot) {
            if (status >= 200 && status < 300) {
                return new Outcome(Result.SENT, status, description, null);
            }
            Result result = switch (status) {
                case 429 -> wholeBot ? Result.RETRY_BOT : Result.RETRY_CHAT;
                case 403 -> Result.BLOCKED;
                case 400, 401, 404, 413 -> Result.REJECTED;
                default -> Result.SERVER_ERROR;
            };
            return new Outcome(result, status, description, retryAfter);
        }
    }
}

package io.brewstream.ingress.bots;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.security.Access;
import io.brewstream.schemas.bots.ChatEvent;
import io.brewstream.schemas.common.Channel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code POST /bots/telegram/{botName}}: Telegram's webhook, taking the Bot API's {@code Update} JSON as Telegram
 * sends it. The {@code X-Telegram-Bot-Api-Secret-Token} header (set with setWebhook's {@code secret_token}) is
 * the credential, compared in constant time; without it, or with another, 401 and nothing written. Messages,
 * edited messages and callback queries are recorded as chat events on {@code bots.chat-events}, keyed by chat so a chat's
 * updates stay in order; the answer is 200 only once the record is durably there (Telegram retries anything
 * else). Other update kinds, and messages without text, are answered 200 and not recorded. Telegram's retries
 * repeat the {@code update_id}; the bots topology counts each once.
 */
public final class TelegramWebhookRoutes implements HttpRoutes {
    public static final String PATH = "/bots/telegram/{botName}";
    public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    public static final String SECRETS_VARIABLE = "BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS";

    private final Map<String, byte[]> secrets;
    private final ChatWebhooks webhooks;
    private final Clock clock;

    /** @param secrets each bot's webhook secret token, by bot name */
    public TelegramWebhookRoutes(Map<String, String> secrets, ChatWebhooks webhooks, Clock clock) {
        this.secrets = ChatWebhooks.bytes(secrets);
        this.webhooks = webhooks;
        this.clock = clock;
    }

    /** {@code botName=secret,...}; secrets as setWebhook allows them. */
    public static Map<String, String> secrets(String spec) {
        return ChatWebhooks.pairs(SECRETS_VARIABLE, spec, java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,256}"),
                "1-256 of A-Z, a-z, 0-9, _ and -");
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::receive, Access.WEBHOOK);
    }

    private void receive(Context ctx) {
        String bot = ctx.pathParam("botName");
        byte[] expected = secrets.get(bot);
        if (expected == null) {
            throw ChatWebhooks.noSuchBot(bot);
        }
        String given = ctx.header(SECRET_HEADER);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw webhooks.unauthorized(Channel.TELEGRAM, bot,
                    "the " + SECRET_HEADER + " header does not match this bot's webhook secret");
        }
        JsonNode update = parse(ctx.bodyAsBytes());
        ChatEvent record = TelegramUpdates.of(bot, update, clock.instant());
        if (record == null) {
            webhooks.ignored(ctx, Channel.TELEGRAM, bot, OK);
            return;
        }
        webhooks.publish(ctx, record, OK);
    }

    private static final Map<String, Object> OK = Map.of("ok", true);

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode update = Json.mapper().readTree(body);
            if (update == null || !update.isObject() || !update.path("update_id").canConvertToLong()) {
                throw ChatWebhooks.invalid("update_id", "is required: the body must be a Telegram Update");
            }
            return update;
        } catch (IOException e) {
            throw ChatWebhooks.invalid("body", "is not well-formed JSON");
        }
    }

    static Instant seconds(JsonNode node) {
        return Instant.ofEpochSecond(node.asLong(0));
    }
}

package io.brewstream.ingress.bots;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.platform.security.Access;
import io.brewstream.schemas.bots.TelegramUpdate;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code POST /bots/telegram/{botName}}: Telegram's webhook, taking the Bot API's {@code Update} JSON as Telegram
 * sends it. The {@code X-Telegram-Bot-Api-Secret-Token} header (set with setWebhook's {@code secret_token}) is
 * the credential, compared in constant time; without it, or with another, 401 and nothing written. Messages,
 * edited messages and callback queries are recorded on {@code bots.telegram-updates}, keyed by chat so a chat's
 * updates stay in order; the answer is 200 only once the record is durably there (Telegram retries anything
 * else). Other update kinds, and messages without text, are answered 200 and not recorded. Telegram's retries
 * repeat the {@code update_id}; the bots topology counts each once.
 */
public final class TelegramWebhookRoutes implements HttpRoutes {
    public static final String PATH = "/bots/telegram/{botName}";
    public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private final Map<String, byte[]> secrets;
    private final CommandPublisher publisher;
    private final Clock clock;
    private final MeterRegistry registry;
    /** One counter per bot and kind, built once: the webhook is a hot path. */
    private final Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param secrets each bot's webhook secret token, by bot name */
    public TelegramWebhookRoutes(Map<String, String> secrets, CommandPublisher publisher, Clock clock,
            MeterRegistry registry) {
        this.secrets = Map.copyOf(secrets.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().getBytes(StandardCharsets.UTF_8))));
        this.publisher = publisher;
        this.clock = clock;
        this.registry = registry;
    }

    /** {@code BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS}: {@code botName=secret,...}; secrets as setWebhook allows them. */
    public static Map<String, String> secrets(String spec) {
        Map<String, String> secrets = new java.util.LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || !parts[0].trim().matches("[A-Za-z0-9_-]{1,64}")
                    || !parts[1].trim().matches("[A-Za-z0-9_-]{1,256}")) {
                throw new IllegalArgumentException("BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS: '" + pair.split("=")[0]
                        + "=...' is not botName=secret (a secret is 1-256 of A-Z, a-z, 0-9, _ and -)");
            }
            secrets.put(parts[0].trim(), parts[1].trim());
        }
        return secrets;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::receive, Access.WEBHOOK);
    }

    private void receive(Context ctx) {
        String bot = ctx.pathParam("botName");
        byte[] expected = secrets.get(bot);
        if (expected == null) {
            throw ProblemException.notFound("no bot " + (bot.length() > 64 ? bot.substring(0, 64) : bot) + " here");
        }
        String given = ctx.header(SECRET_HEADER);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            count(bot, "unauthorized");
            throw new ProblemException(new Problem("urn:brewstream:problem:unauthorized", "Unauthorized", 401,
                    "the " + SECRET_HEADER + " header does not match this bot's webhook secret", null, List.of()));
        }
        JsonNode update = parse(ctx.bodyAsBytes());
        TelegramUpdate record = TelegramUpdates.of(bot, update, clock.instant());
        if (record == null) {
            count(bot, "ignored");
            ctx.json(Map.of("ok", true));
            return;
        }
        // answered once the broker has it, without holding a server thread while it waits
        ctx.future(() -> publisher.publishAsync(Topics.TELEGRAM_UPDATES, Keys.chat(bot, record.getChatId()), record)
                .handle((written, error) -> {
                    if (error != null) {
                        HttpService.fail(ctx, error);
                    } else {
                        count(bot, record.getKind());
                        ctx.json(Map.of("ok", true));
                    }
                    return null;
                }));
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode update = Json.mapper().readTree(body);
            if (update == null || !update.isObject() || !update.path("update_id").canConvertToLong()) {
                throw invalid("update_id", "is required: the body must be a Telegram Update");
            }
            return update;
        } catch (IOException e) {
            throw invalid("body", "is not well-formed JSON");
        }
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.invalidFields(List.of(new Problem.FieldError(field, message))));
    }

    private void count(String bot, String outcome) {
        counters.computeIfAbsent(bot + '|' + outcome, k -> Counter.builder("brewstream.bots.updates")
                .description("Telegram updates received, by bot and kind or outcome")
                .tag("bot", bot).tag("kind", outcome).register(registry)).increment();
    }

    static Instant seconds(JsonNode node) {
        return Instant.ofEpochSecond(node.asLong(0));
    }
}

package io.brewstream.ingress.bots;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.schemas.bots.ChatEvent;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the three chat webhooks (Telegram, Slack, Discord) share: their credentials from the environment, the
 * 401 for a request that does not prove it comes from the platform, the chat event written to
 * {@code bots.chat-events} keyed by chat before the platform is answered, and a counter per platform, bot and
 * kind or outcome.
 */
public final class ChatWebhooks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final CommandPublisher publisher;
    private final MeterRegistry registry;
    /** One counter per platform, bot and kind, built once: webhooks are a hot path. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ChatWebhooks(CommandPublisher publisher, MeterRegistry registry) {
        this.publisher = publisher;
        this.registry = registry;
    }

    /**
     * {@code name=value,...} from an environment variable, each value matching its platform's form.
     *
     * @param variable the variable's name, for the error
     * @param form     what a value looks like, for the error
     */
    public static Map<String, String> pairs(String variable, String spec, Pattern valueForm, String form) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || !NAME.matcher(parts[0].trim()).matches()
                    || !valueForm.matcher(parts[1].trim()).matches()) {
                throw new IllegalArgumentException(variable + ": '" + pair.split("=")[0] + "=...' is not name=value (a name"
                        + " is 1-64 of A-Z, a-z, 0-9, _ and -; a value is " + form + ")");
            }
            pairs.put(parts[0].trim(), parts[1].trim());
        }
        return pairs;
    }

    static Map<String, byte[]> bytes(Map<String, String> values) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        values.forEach((name, value) -> bytes.put(name, value.getBytes(StandardCharsets.UTF_8)));
        return Map.copyOf(bytes);
    }

    static ProblemException noSuchBot(String bot) {
        return ProblemException.notFound("no bot " + (bot.length() > 64 ? bot.substring(0, 64) : bot) + " here");
    }

    /** A 401: the request does not prove it comes from the platform. Nothing is written. */
    ProblemException unauthorized(Channel platform, String bot, String why) {
        count(platform, bot, "unauthorized");
        return new ProblemException(new Problem("urn:brewstream:problem:unauthorized", "Unauthorized", 401, why, null,
                List.of()));
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.invalidFields(List.of(new Problem.FieldError(field, message))));
    }

    /** Answered without writing anything: a kind the bots do not use, a platform check. */
    void ignored(Context ctx, Channel platform, String bot, Object answer) {
        count(platform, bot, "ignored");
        ctx.json(answer);
    }

    /**
     * Writes the event, keyed by its chat, and answers the platform only once the broker has it (the platform
     * retries anything else), without holding a server thread while it waits.
     */
    void publish(Context ctx, ChatEvent event, Object answer) {
        String key = Keys.chat(event.getPlatform(), event.getBotName(), event.getChatId());
        ctx.future(() -> publisher.publishAsync(Topics.CHAT_EVENTS, key, event).handle((written, error) -> {
            if (error != null) {
                HttpService.fail(ctx, error);
            } else {
                count(event.getPlatform(), event.getBotName(), event.getKind());
                ctx.json(answer);
            }
            return null;
        }));
    }

    void count(Channel platform, String bot, String outcome) {
        counters.computeIfAbsent(platform + "|" + bot + '|' + outcome, k -> Counter.builder("brewstream.bots.updates")
                .description("Chat updates received, by platform, bot and kind or outcome")
                .tag("platform", platform.name().toLowerCase(Locale.ROOT)).tag("bot", bot).tag("kind", outcome)
                .register(registry)).increment();
    }

    static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }
}

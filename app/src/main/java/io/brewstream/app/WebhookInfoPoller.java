package io.brewstream.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.connectors.bots.TelegramBotApi;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Asks Telegram about each bot's webhook every minute ({@code getWebhookInfo}) and publishes what it says as
 * metrics: updates Telegram holds for the bot (growing: the webhook is failing or slow) and when it last saw an
 * error delivering to it.
 */
final class WebhookInfoPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookInfoPoller.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "telegram-webhook-info");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastErrorAt = new ConcurrentHashMap<>();

    WebhookInfoPoller(TelegramBotApi api, Map<String, String> tokens, MeterRegistry registry, long periodSeconds) {
        tokens.forEach((bot, token) -> {
            AtomicLong count = pending.computeIfAbsent(bot, b -> new AtomicLong(-1));
            AtomicLong errorAt = lastErrorAt.computeIfAbsent(bot, b -> new AtomicLong(0));
            Gauge.builder("brewstream.bots.webhook.pending.updates", count, AtomicLong::get).tag("bot", bot)
                    .description("Updates Telegram holds for the bot's webhook (getWebhookInfo); -1 until known")
                    .register(registry);
            Gauge.builder("brewstream.bots.webhook.last.error.seconds", errorAt, AtomicLong::get).tag("bot", bot)
                    .description("Unix time of Telegram's last error delivering to the webhook; 0 for none")
                    .register(registry);
            scheduler.scheduleWithFixedDelay(() -> poll(api, bot, token, count, errorAt), 0, periodSeconds,
                    TimeUnit.SECONDS);
        });
    }

    private static void poll(TelegramBotApi api, String bot, String token, AtomicLong count, AtomicLong errorAt) {
        try {
            TelegramBotApi.Answer answer = api.getWebhookInfo(token).get(30, TimeUnit.SECONDS);
            if (!answer.ok()) {
                log.warn("getWebhookInfo for {}: {} {}", bot, answer.status(), answer.description());
                return;
            }
            count.set(answer.result().path("pending_update_count").asLong(0));
            errorAt.set(answer.result().path("last_error_date").asLong(0));
            if (answer.result().hasNonNull("last_error_message")) {
                log.debug("webhook of {}: last error {}", bot, answer.result().path("last_error_message").asText());
            }
        } catch (Exception e) {
            log.warn("getWebhookInfo for {} failed: {}", bot, e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

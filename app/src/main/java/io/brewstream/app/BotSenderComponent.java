package io.brewstream.app;

import java.util.Map;
import java.util.Optional;

import io.brewstream.connectors.bots.TelegramBotApi;
import io.brewstream.connectors.bots.TelegramSender;
import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.schemas.bots.DeliveryStatus;
import io.brewstream.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Telegram sender, when bot tokens are configured: {@code BREWSTREAM_TELEGRAM_BOT_TOKENS}
 * ({@code botName=token,...}) and {@code BREWSTREAM_TELEGRAM_API_URL} (Telegram's own by default).
 */
final class BotSenderComponent {
    static final String DEFAULT_API_URL = "https://api.telegram.org";

    private BotSenderComponent() {
    }

    /**
     * Starts the sender, its metrics (sends by result) and the webhook info poller (pending updates, last error per
     * bot) when tokens are configured.
     */
    static Optional<ReadinessCheck> start(Env env, String bootstrapServers, String registryUrl, MeterRegistry registry,
            Lifecycle lifecycle) {
        Map<String, String> tokens = TelegramSender.tokens(env.string("BREWSTREAM_TELEGRAM_BOT_TOKENS", ""));
        if (tokens.isEmpty()) {
            return Optional.empty();
        }
        String apiUrl = env.string("BREWSTREAM_TELEGRAM_API_URL", DEFAULT_API_URL);
        TelegramSender sender = lifecycle.add(new TelegramSender(bootstrapServers, AvroSerdes.forRegistry(registryUrl),
                TelegramSender.Settings.defaults(apiUrl, tokens)));
        for (DeliveryStatus status : DeliveryStatus.values()) {
            FunctionCounter.builder("brewstream.bots.sends", sender, s -> s.count(status))
                    .description("Notification delivery attempts by result").tag("result", status.name())
                    .register(registry);
        }
        lifecycle.add(new WebhookInfoPoller(new TelegramBotApi(apiUrl), tokens, registry,
                env.duration("BREWSTREAM_TELEGRAM_WEBHOOK_INFO_PERIOD", java.time.Duration.ofMinutes(1)).toSeconds()));
        return Optional.of(ReadinessCheck.of("telegram-sender", sender::isRunning));
    }
}

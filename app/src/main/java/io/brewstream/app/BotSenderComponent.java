package io.brewstream.app;

import java.util.Map;
import java.util.Optional;

import io.brewstream.connectors.bots.TelegramSender;
import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.schemas.serde.AvroSerdes;

/**
 * The Telegram sender, when bot tokens are configured: {@code BREWSTREAM_TELEGRAM_BOT_TOKENS}
 * ({@code botName=token,...}) and {@code BREWSTREAM_TELEGRAM_API_URL} (Telegram's own by default).
 */
final class BotSenderComponent {
    static final String DEFAULT_API_URL = "https://api.telegram.org";

    private BotSenderComponent() {
    }

    static Optional<ReadinessCheck> start(Env env, String bootstrapServers, String registryUrl, Lifecycle lifecycle) {
        Map<String, String> tokens = TelegramSender.tokens(env.string("BREWSTREAM_TELEGRAM_BOT_TOKENS", ""));
        if (tokens.isEmpty()) {
            return Optional.empty();
        }
        TelegramSender sender = lifecycle.add(new TelegramSender(bootstrapServers, AvroSerdes.forRegistry(registryUrl),
                TelegramSender.Settings.defaults(env.string("BREWSTREAM_TELEGRAM_API_URL", DEFAULT_API_URL), tokens)));
        return Optional.of(ReadinessCheck.of("telegram-sender", sender::isRunning));
    }
}

package io.brewstream.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.brewstream.connectors.bots.ChatSender;
import io.brewstream.connectors.bots.DiscordPlatform;
import io.brewstream.connectors.bots.SlackPlatform;
import io.brewstream.connectors.bots.TelegramBotApi;
import io.brewstream.connectors.bots.TelegramPlatform;
import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.schemas.bots.DeliveryStatus;
import io.brewstream.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The chat sender, for the platforms whose bot tokens are configured, each {@code botName=token,...}:
 * BREWSTREAM_TELEGRAM_BOT_TOKENS (with BREWSTREAM_TELEGRAM_API_URL, Telegram's own by default),
 * BREWSTREAM_SLACK_BOT_TOKENS (xoxb-..., with BREWSTREAM_SLACK_API_URL), BREWSTREAM_DISCORD_BOT_TOKENS (with
 * BREWSTREAM_DISCORD_API_URL). A Discord application listed in BREWSTREAM_DISCORD_PUBLIC_KEYS without a bot token
 * still answers its interactions with follow-ups, which take no bot token.
 */
final class BotSenderComponent {
    static final String DEFAULT_API_URL = "https://api.telegram.org";

    private BotSenderComponent() {
    }

    /**
     * Starts the sender and its metrics (sends by result), and the Telegram webhook info poller (pending updates,
     * last error per bot) when Telegram tokens are configured.
     */
    static Optional<ReadinessCheck> start(Env env, String bootstrapServers, String registryUrl, MeterRegistry registry,
            Lifecycle lifecycle) {
        Map<String, String> telegram = ChatSender.tokens(env.string("BREWSTREAM_TELEGRAM_BOT_TOKENS", ""));
        Map<String, String> slack = ChatSender.tokens(env.string("BREWSTREAM_SLACK_BOT_TOKENS", ""));
        Map<String, String> discord = ChatSender.tokens(env.string("BREWSTREAM_DISCORD_BOT_TOKENS", ""));
        boolean discordApps = !env.string("BREWSTREAM_DISCORD_PUBLIC_KEYS", "").isBlank();
        String telegramUrl = env.string("BREWSTREAM_TELEGRAM_API_URL", DEFAULT_API_URL);
        List<ChatSender.Platform> platforms = new ArrayList<>();
        if (!telegram.isEmpty()) {
            platforms.add(new ChatSender.Platform(TelegramPlatform.withTelegramsLimits(telegramUrl), telegram));
        }
        if (!slack.isEmpty()) {
            platforms.add(new ChatSender.Platform(SlackPlatform.withSlacksLimits(
                    env.string("BREWSTREAM_SLACK_API_URL", SlackPlatform.DEFAULT_API_URL)), slack));
        }
        if (!discord.isEmpty() || discordApps) {
            platforms.add(new ChatSender.Platform(DiscordPlatform.withDiscordsLimits(
                    env.string("BREWSTREAM_DISCORD_API_URL", DiscordPlatform.DEFAULT_API_URL)), discord));
        }
        if (platforms.isEmpty()) {
            return Optional.empty();
        }
        ChatSender sender = lifecycle.add(new ChatSender(bootstrapServers, AvroSerdes.forRegistry(registryUrl),
                ChatSender.Settings.defaults(platforms)));
        for (DeliveryStatus status : DeliveryStatus.values()) {
            FunctionCounter.builder("brewstream.bots.sends", sender, s -> s.count(status))
                    .description("Notification delivery attempts by result").tag("result", status.name())
                    .register(registry);
        }
        if (!telegram.isEmpty()) {
            lifecycle.add(new WebhookInfoPoller(new TelegramBotApi(telegramUrl), telegram, registry,
                    env.duration("BREWSTREAM_TELEGRAM_WEBHOOK_INFO_PERIOD", java.time.Duration.ofMinutes(1)).toSeconds()));
        }
        return Optional.of(ReadinessCheck.of("chat-sender", sender::isRunning));
    }
}

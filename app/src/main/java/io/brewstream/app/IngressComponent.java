package io.brewstream.app;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.brewstream.ingress.bots.ChatLinkRoutes;
import io.brewstream.ingress.bots.ChatWebhooks;
import io.brewstream.ingress.bots.DiscordWebhookRoutes;
import io.brewstream.ingress.bots.SlackWebhookRoutes;
import io.brewstream.ingress.bots.TelegramWebhookRoutes;
import io.brewstream.ingress.http.ClientAddresses;
import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.ingress.orders.OrderActionRoutes;
import io.brewstream.ingress.orders.OrderIngressRoutes;
import io.brewstream.ingress.payments.StripeSignature;
import io.brewstream.ingress.payments.StripeWebhookRoutes;
import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.schemas.serde.AvroSerdes;

/** The write API: its producer, routes and readiness. */
final class IngressComponent {
    final List<HttpRoutes> routes;
    final List<ReadinessCheck> readiness;
    final CommandPublisher publisher;

    private IngressComponent(List<HttpRoutes> routes, List<ReadinessCheck> readiness, CommandPublisher publisher) {
        this.routes = routes;
        this.readiness = readiness;
        this.publisher = publisher;
    }

    /** BREWSTREAM_TRUSTED_PROXIES: whose X-Forwarded-For to believe; loopback and private networks by default. */
    static ClientAddresses clientAddresses(Env env) {
        return ClientAddresses.trusting(env.string("BREWSTREAM_TRUSTED_PROXIES",
                ClientAddresses.LOOPBACK_AND_PRIVATE_NETWORKS));
    }

    /**
     * BREWSTREAM_STRIPE_WEBHOOK_SECRETS: the endpoint's signing secrets (whsec_..., comma-separated while one is
     * rolled); unset, the Stripe webhook answers 404. BREWSTREAM_STRIPE_TOLERANCE: how old a signature may be (5m).
     */
    static Optional<StripeSignature> stripe(Env env) {
        return env.optional("BREWSTREAM_STRIPE_WEBHOOK_SECRETS").map(secrets -> new StripeSignature(
                Arrays.stream(secrets.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                env.duration("BREWSTREAM_STRIPE_TOLERANCE", Duration.ofMinutes(5)), Clock.systemUTC()));
    }

    /**
     * The chat webhooks' credentials, each {@code name=value,...}: BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS (the
     * secret_token each bot's webhook was set with), BREWSTREAM_SLACK_SIGNING_SECRETS (each Slack app's signing
     * secret), BREWSTREAM_DISCORD_PUBLIC_KEYS (each Discord application's public key). A platform without any
     * answers 404.
     */
    record ChatWebhookCredentials(Map<String, String> telegram, Map<String, String> slack, Map<String, String> discord) {
        static final ChatWebhookCredentials NONE = new ChatWebhookCredentials(Map.of(), Map.of(), Map.of());

        static ChatWebhookCredentials of(Env env) {
            return new ChatWebhookCredentials(
                    TelegramWebhookRoutes.secrets(env.string(TelegramWebhookRoutes.SECRETS_VARIABLE, "")),
                    SlackWebhookRoutes.secrets(env.string(SlackWebhookRoutes.SECRETS_VARIABLE, "")),
                    DiscordWebhookRoutes.publicKeys(env.string(DiscordWebhookRoutes.KEYS_VARIABLE, "")));
        }
    }

    static IngressComponent start(String bootstrapServers, String registryUrl, String queryBaseUrl,
            ClientAddresses clientAddresses, Optional<StripeSignature> stripe, Observability observability,
            Lifecycle lifecycle) {
        return start(bootstrapServers, registryUrl, queryBaseUrl, clientAddresses, stripe, ChatWebhookCredentials.NONE,
                observability, lifecycle);
    }

    static IngressComponent start(String bootstrapServers, String registryUrl, String queryBaseUrl,
            ClientAddresses clientAddresses, Optional<StripeSignature> stripe, ChatWebhookCredentials chats,
            Observability observability, Lifecycle lifecycle) {
        CommandPublisher publisher = lifecycle.add(new CommandPublisher(bootstrapServers,
                AvroSerdes.forRegistry(registryUrl), Duration.ofSeconds(10), observability.registry()));
        ChatWebhooks webhooks = new ChatWebhooks(publisher, observability.registry());
        return new IngressComponent(
                List.of(new OrderIngressRoutes(publisher, queryBaseUrl, clientAddresses, Clock.systemUTC(), observability.registry()),
                        new OrderActionRoutes(publisher, queryBaseUrl, Clock.systemUTC(), observability.registry()),
                        new io.brewstream.ingress.orders.OrderInvoiceRoutes(publisher, queryBaseUrl, Clock.systemUTC()),
                        new io.brewstream.ingress.market.MarketDataRoutes(publisher, Clock.systemUTC()),
                        new StripeWebhookRoutes(stripe, publisher, Clock.systemUTC(), observability.registry()),
                        new TelegramWebhookRoutes(chats.telegram(), webhooks, Clock.systemUTC()),
                        new SlackWebhookRoutes(chats.slack(), webhooks, Clock.systemUTC()),
                        new DiscordWebhookRoutes(chats.discord(), webhooks, Clock.systemUTC()),
                        new ChatLinkRoutes(publisher, Clock.systemUTC())),
                // the broker decides (no command is recorded without it); the registry is only reported: the
                // serializers keep every schema they have registered or looked up
                List.of(publisher.brokerCheck(), Dependencies.registry(registryUrl, false, lifecycle)), publisher);
    }
}

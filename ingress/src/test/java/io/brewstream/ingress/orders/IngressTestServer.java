package io.brewstream.ingress.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.ingress.http.ClientAddresses;
import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.ingress.payments.StripeSignature;
import io.brewstream.ingress.payments.StripeWebhookRoutes;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.MetricsEndpoint;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.DevelopmentIssuer;
import io.brewstream.platform.security.IdentitySettings;
import io.brewstream.platform.security.Role;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.TopicProvisioner;

/** The ingress routes on a real HTTP server against the test JVM's broker and registry. */
public final class IngressTestServer implements AutoCloseable {
    final AvroSerdes serdes;
    final Observability observability;
    private final EmbeddedInfrastructure infra;
    private final CommandPublisher publisher;
    private final HttpService server;
    private final HttpClient http = HttpClient.newHttpClient();
    /** Tokens for the test's callers; requests without an Authorization header go as customer {@value #CUSTOMER}. */
    final DevelopmentIssuer issuer = DevelopmentIssuer.inMemory("http://127.0.0.1:1", IdentitySettings.defaults("x"));
    static final String CUSTOMER = "cust-7";
    static final String SHOP = "berlin-mitte";

    public IngressTestServer(EmbeddedInfrastructure infra) {
        this.infra = infra;
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
        observability = new Observability("ingress-test");
        publisher = new CommandPublisher(infra.bootstrapServers(), serdes, Duration.ofSeconds(10), observability.registry());
        io.brewstream.ingress.bots.ChatWebhooks webhooks = new io.brewstream.ingress.bots.ChatWebhooks(publisher,
                observability.registry());
        server = HttpService.start("127.0.0.1", 0, observability,
                List.of(new OrderIngressRoutes(publisher, "", ClientAddresses.trusting("127.0.0.1,10.0.0.0/8"), Clock.systemUTC(), observability.registry()),
                        new OrderActionRoutes(publisher, "", Clock.systemUTC(), observability.registry()),
                        new StripeWebhookRoutes(Optional.of(new StripeSignature(List.of(STRIPE_SECRET, STRIPE_NEXT_SECRET),
                                Duration.ofMinutes(5), Clock.systemUTC())), publisher, Clock.systemUTC(), observability.registry()),
                        new io.brewstream.ingress.market.MarketDataRoutes(publisher, Clock.systemUTC()),
                        new io.brewstream.ingress.bots.TelegramWebhookRoutes(Map.of("brewbot", TELEGRAM_SECRET), webhooks,
                                Clock.systemUTC()),
                        new io.brewstream.ingress.bots.SlackWebhookRoutes(Map.of("brewapp", SLACK_SECRET), webhooks,
                                Clock.systemUTC()),
                        new io.brewstream.ingress.bots.DiscordWebhookRoutes(Map.of("brewapp", DISCORD_PUBLIC_KEY), webhooks,
                                Clock.systemUTC())),
                List.of(publisher.brokerCheck()),
                new Authentication(issuer.verifier()), MetricsEndpoint.withScrapeToken(SCRAPE_TOKEN));
    }

    static final String SCRAPE_TOKEN = "scrape-token-for-tests";
    /** The webhook endpoint's secrets: the current one and the one it is being rolled to. */
    public static final String STRIPE_SECRET = "whsec_test_current";
    public static final String STRIPE_NEXT_SECRET = "whsec_test_next";
    public static final String TELEGRAM_SECRET = "telegram-secret_1";
    /** A Slack app's signing secret, as Slack shows one (32 hex digits). */
    public static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    /** RFC 8032's first Ed25519 test vector: its private key signs as Discord would, this public key verifies. */
    public static final String DISCORD_PRIVATE_KEY = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    public static final String DISCORD_PUBLIC_KEY = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    String customer(String customerId) {
        return "Bearer " + issuer.mint(customerId, Set.of(Role.CUSTOMER), Set.of(), Optional.of(customerId),
                Duration.ofMinutes(10));
    }

    public String as(Role role, String... shops) {
        return "Bearer " + issuer.mint(role.defaultClaimValue() + "-1", Set.of(role), Set.of(shops), Optional.empty(),
                Duration.ofMinutes(10));
    }

    public HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        // an empty Authorization in the map means: send none (webhooks carry their sender's signature instead)
        headers.forEach((name, value) -> {
            if (!value.isEmpty()) {
                request.setHeader(name, value);
            }
        });
        if (!headers.containsKey("Authorization")) {
            request.header("Authorization", customer(CUSTOMER));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Every record with the given key on a topic now, read from the beginning to the current end. */
    public <V extends org.apache.avro.specific.SpecificRecord> List<V> all(Topic<V> topic, String key) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, EmbeddedInfrastructure.uniqueName("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> values = new java.util.ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        values.add(topic.valueSerde(serdes).deserializer().deserialize(topic.name(), record.value()));
                    }
                }
            }
        }
        return values;
    }

    /** The first record with the given key on a topic, read from the beginning. */
    ConsumerRecord<String, byte[]> read(Topic<?> topic, String key) {
        return read(topic, key, value -> true);
    }

    /** The first record with the given key whose value matches, read from the beginning. */
    <V extends org.apache.avro.specific.SpecificRecord> ConsumerRecord<String, byte[]> read(Topic<V> topic, String key,
            java.util.function.Predicate<V> matching) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, EmbeddedInfrastructure.uniqueName("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key()) && matching.test(topic.valueSerde(serdes).deserializer()
                            .deserialize(topic.name(), record.value()))) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no record for " + key + " on " + topic);
    }

    @Override
    public void close() {
        server.close();
        publisher.close();
        observability.close();
    }
}

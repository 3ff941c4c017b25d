package io.brewstream.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.connectors.database.DatabaseSettings;
import io.brewstream.connectors.chain.LocalChain;
import io.brewstream.embedded.EmbeddedAnvil;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.embedded.Directories;
import io.brewstream.embedded.EmbeddedDatabase;
import io.brewstream.embedded.EmbeddedKafka;
import io.brewstream.embedded.FreePorts;
import io.brewstream.embedded.EmbeddedSchemaRegistry;
import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.RateLimits;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.topologies.runtime.StreamsSettings;

/**
 * Everything in one JVM: a KRaft broker, the schema registry and PostgreSQL (child processes), the CDC
 * connector, every topology, and one HTTP server with the write and read APIs. All data lives under one
 * directory and survives restarts.
 */
final class Standalone implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Standalone.class);

    private static final String DATABASE_NAME = "brewstream";
    /** Every Streams application's id starts with this, then the topology's name. */
    static final String APPLICATION_ID_PREFIX = "brewstream";

    private final Lifecycle lifecycle = new Lifecycle();
    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;
    private final DatabaseSettings database;
    private final HttpService http;
    private final Identity identity;
    private final String httpHost;
    private final List<ReadinessCheck> readiness = new ArrayList<>();
    private java.util.concurrent.CompletableFuture<String> deadForGood = new java.util.concurrent.CompletableFuture<>();

    private Standalone(StandaloneSettings settings) {
        try {
            if (settings.fresh()) {
                log.info("wiping {}", settings.dataDir().toAbsolutePath());
                Directories.deleteRecursively(settings.dataDir());
            }
            kafka = lifecycle.add(EmbeddedKafka.persistent(settings.dataDir().resolve("kafka"),
                    settings.kafkaPort(), settings.kafkaControllerPort()).start());
            registry = lifecycle.add(EmbeddedSchemaRegistry.persistent(settings.dataDir().resolve("registry"),
                    settings.registryPort()).start());
            // one broker: one replica, whatever BREWSTREAM_REPLICATION_FACTOR says; the retentions as configured
            TopicProvisioner.ensureAll(kafka.bootstrapServers(), ClusterSettings.topicSettings(Env.system(), 1)
                    .withReplicationFactor(1));

            Observability observability = lifecycle.add(new Observability("standalone"));
            int httpPort = FreePorts.orFree(settings.httpPort());
            httpHost = settings.httpHost();
            StreamsSettings streamsSettings = new StreamsSettings(kafka.bootstrapServers(), registry.apiUrl(), APPLICATION_ID_PREFIX,
                    settings.dataDir().resolve("streams"), Optional.of(advertised(httpHost) + ":" + httpPort),
                    settings.commitInterval(), 1, 0, settings.streamThreads());

            Env env = settings.localChain() ? localChain(settings) : Env.system();
            ChainSettings chain = ChainSettings.of(env);
            ChainComponent.publishRates(chain, kafka.bootstrapServers(), registry.apiUrl());
            var topologies = TopologyCatalog.select(settings.topologies(), env);
            StreamsComponent streams = StreamsComponent.start(topologies, streamsSettings, observability, lifecycle);
            deadForGood = streams.deadForGood();
            IngressComponent ingress = IngressComponent.start(kafka.bootstrapServers(), registry.apiUrl(), "",
                    IngressComponent.clientAddresses(Env.system()), IngressComponent.stripe(Env.system()),
                    IngressComponent.ChatWebhookCredentials.of(Env.system()), observability, lifecycle);
            database = settings.externalDatabase().orElseGet(() -> embeddedDatabase(settings));
            ConnectorsComponent connectors = ConnectorsComponent.start(database, settings.demoData(),
                    settings.dataDir().resolve("connectors"), kafka.bootstrapServers(), registry.apiUrl(), observability,
                    lifecycle);

            // the development issuer answers as this server: its tokens' iss is the server's own URL
            identity = Identity.from(Env.system(), Optional.of(settings.dataDir().resolve("identity")),
                    "http://" + advertised(httpHost) + ":" + httpPort);
            List<HttpRoutes> routes = new ArrayList<>(identity.routes);
            routes.addAll(ingress.routes);
            routes.addAll(streams.routes);
            readiness.addAll(streams.readiness);
            readiness.addAll(ingress.readiness);
            readiness.addAll(connectors.readiness);
            ChainComponent.startWatcher(chain, kafka.bootstrapServers(), registry.apiUrl(), lifecycle)
                    .ifPresent(readiness::add);
            BotSenderComponent.start(Env.system(), kafka.bootstrapServers(), registry.apiUrl(),
                    observability.registry(), lifecycle)
                    .ifPresent(readiness::add);
            if (topologies.stream().anyMatch(t -> t.name().equals("agents"))) {
                // the built-in agents beside their router
                AgentsComponent.start(AgentsComponent.Settings.of(Env.system()), kafka.bootstrapServers(),
                        registry.apiUrl(), lifecycle).ifPresent(agents -> readiness.add(agents.readiness));
            }
            if (settings.simulateMarket()) {
                lifecycle.add(new io.brewstream.bench.MarketSimulator(kafka.bootstrapServers(),
                        AvroSerdes.forRegistry(registry.apiUrl()), io.brewstream.bench.MarketSimulator.demoVenues(),
                        System.nanoTime()).start(true));
            }
            http = lifecycle.add(HttpService.start(httpHost, httpPort, observability, routes, readiness,
                    identity.authentication, Identity.metrics(Env.system(), Optional.of(settings.dataDir())),
                    RateLimits.from(Env.system(), IngressComponent.clientAddresses(Env.system())::of)));
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
    }

    /**
     * {@code --chain}: anvil (its chain kept in the data directory), the demo USDC deployed once, and crypto
     * settings for them as defaults under the environment's own. The shops' deposit addresses come from a published
     * test wallet's xpub (BIP39's all-"abandon" mnemonic): a demo, never a real shop's keys.
     */
    private Env localChain(StandaloneSettings settings) {
        EmbeddedAnvil anvil = lifecycle.add(EmbeddedAnvil.on(0, settings.dataDir().resolve("anvil")).start());
        String usdc;
        try (LocalChain chain = new LocalChain(anvil.rpcUrl(), EmbeddedAnvil.CHAIN_ID)) {
            usdc = chain.demoToken();
        }
        return Env.system().withDefaults(Map.of(
                "BREWSTREAM_CHAIN_RPC_URL", anvil.rpcUrl(),
                "BREWSTREAM_CHAIN_ID", Long.toString(EmbeddedAnvil.CHAIN_ID),
                "BREWSTREAM_CHAIN_TOKENS", "USDC=" + usdc + ":6",
                "BREWSTREAM_CHAIN_DEFAULT_XPUB", DEMO_XPUB,
                "BREWSTREAM_CHAIN_FIXED_RATES", "ETH/EUR=3000.00,USDC/EUR=0.98"));
    }

    /** m/44'/60'/0' of BIP39's all-"abandon" test mnemonic, a published wallet: for the demo only. */
    static final String DEMO_XPUB =
            "xpub6DCoCpSuQZB2jawqnGMEPS63ePKWkwWPH4TU45Q7LPXWuNd8TMtVxRrgjtEshuqpK3mdhaWHPFsBngh5GFZaM6si3yZdUsT8ddYM3PwnATt";

    private DatabaseSettings embeddedDatabase(StandaloneSettings settings) {
        EmbeddedDatabase postgres = lifecycle.add(EmbeddedDatabase.persistent(settings.dataDir().resolve("postgres"),
                settings.postgresPort()).start());
        return new DatabaseSettings(postgres.createDatabase(DATABASE_NAME), EmbeddedDatabase.USER, "");
    }

    static Standalone start(StandaloneSettings settings) {
        return new Standalone(settings);
    }

    private static String advertised(String host) {
        return host.equals("0.0.0.0") ? "127.0.0.1" : host;
    }

    String httpUrl() {
        return "http://" + advertised(httpHost) + ":" + http.port();
    }

    /** The development issuer, unless a real provider is configured. */
    Optional<io.brewstream.platform.security.DevelopmentIssuer> developmentIssuer() {
        return identity.developmentIssuer;
    }

    /** Every route the HTTP server answers, {@code METHOD /path}. */
    List<String> endpoints() {
        return http.endpoints();
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    DatabaseSettings database() {
        return database;
    }

    EmbeddedSchemaRegistry registry() {
        return registry;
    }

    String banner(Path dataDir) {
        String url = httpUrl();
        return String.join(System.lineSeparator(),
                "",
                "brewstream standalone is up",
                "  Orders API (write)   POST " + url + "/api/v1/orders",
                "  Orders API (read)    GET  " + url + "/api/v1/orders/{orderId}[?waitFor=VALIDATED&timeout=5s]",
                "  Barista queue        GET  " + url + "/api/v1/shops/{shopId}/orders?state=VALIDATED",
                "  Stock, prices, stats GET  " + url + "/api/v1/shops/{shopId}/stock  .../prices  .../stats",
                "  Live events          GET  " + url + "/api/v1/streams/shops/{shopId}/orders (server-sent events)",
                "  Dashboard                 " + url + "/dashboard",
                "  Read API description GET  " + url + "/openapi.json",
                "  Health / readiness   " + url + "/health   " + url + "/ready",
                "  Prometheus metrics   " + url + "/metrics   (bearer token in " + Identity.scrapeTokenFile(dataDir) + ")",
                "  Tokens               " + identity.developmentIssuer.map(i -> "development issuer " + i.issuer()
                        + "; java -jar app/target/brewstream.jar token --role customer --customer cust-42")
                        .orElse("from " + Env.system().string("BREWSTREAM_OIDC_ISSUER", "?")),
                "  Kafka bootstrap      " + kafka.bootstrapServers(),
                "  Schema registry      " + registry.apiUrl() + "   (Confluent API: " + registry.confluentApiUrl() + ")",
                "  Operational database " + database.jdbcUrl() + " (user " + database.user() + "; menu, shops, deliveries stream in by CDC)",
                "  Data directory       " + dataDir.toAbsolutePath(),
                "Stop with Ctrl-C.",
                "");
    }

    /** Blocks until every topology is running, or the timeout passes. */
    /** Completes, with why, once one of its streams applications is dead for good. */
    java.util.concurrent.CompletableFuture<String> deadForGood() {
        return deadForGood;
    }

    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (readyNow()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private boolean readyNow() {
        return readiness.stream().allMatch(check -> check.ready() || !check.essential());
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}

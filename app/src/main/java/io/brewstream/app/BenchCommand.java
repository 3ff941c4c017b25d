package io.brewstream.app;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.Callable;

import io.brewstream.bench.BenchReport;
import io.brewstream.platform.security.DevelopmentIssuer;
import io.brewstream.platform.security.Principal;
import io.brewstream.platform.security.Role;
import io.brewstream.bench.ArbitrageBenchmark;
import io.brewstream.bench.BenchResult;
import io.brewstream.bench.OrderFlowBenchmark;
import io.brewstream.bench.TelegramWebhookBenchmark;
import io.brewstream.bench.OrderTraffic;
import io.brewstream.bench.ReferencePipes;
import io.brewstream.bench.TopicWrites;
import io.brewstream.connectors.database.ReferenceRows;
import io.brewstream.embedded.Directories;
import io.brewstream.platform.http.Json;
import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.arbitrage.ArbitrageSettings;
import io.brewstream.topologies.arbitrage.ArbitrageTopology;
import io.brewstream.topologies.reference.DemoData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs the standard benchmark on a fresh embedded stack (broker, registry, PostgreSQL, every topology):",
                "the raw producer-consumer pipe, a one-hop exactly-once topology, orders straight to Kafka at full speed and",
                "at half of it, a latency curve at fixed rates, the full flow (start, ready, claim with the pickup code) in",
                "bursts, and orders through the HTTP ingress. Orders count when VALIDATED (checks: pricing, inventory,",
                "fraud; payment at the counter), in the full flow when PICKED_UP. Writes report.json, report.md and PNG",
                "plots to --out."})
final class BenchCommand implements Callable<Integer> {
    private static final long BENCH_DELIVERY = 1_000_000_000L;
    private static final int JIT_WARM_UP_RATE = 100;
    /** Enough that none orders often enough to trip the fraud velocity rules in a ten-minute benchmark. */
    private static final int CUSTOMERS = 200_000;
    private static final long QUIET_WRITES_PER_SECOND = 50;
    private static final double JIT_SETTLED = 0.15;

    @Option(names = "--orders", description = "Orders per run (default ${DEFAULT-VALUE}).")
    int orders = 30_000;

    @Option(names = "--shops", description = "Shops the orders go to: the demo's and as many more as it takes "
            + "(default ${DEFAULT-VALUE}; each at a human rate, a few orders a second at most).")
    int shops = 1_000;

    @Option(names = "--reference-seconds", description = "The least the raw pipe and the one-hop exactly-once "
            + "reference each run for, so their figures are sustained ones (default ${DEFAULT-VALUE}).")
    int referenceSeconds = 20;

    @Option(names = "--http-orders", description = "Orders in the HTTP run (default ${DEFAULT-VALUE}).")
    int httpOrders = 15_000;

    @Option(names = "--http-concurrency", description = "HTTP requests in flight (default ${DEFAULT-VALUE}).")
    int httpConcurrency = 64;

    @Option(names = "--telegram-updates", description = "Updates in each Telegram webhook run (default ${DEFAULT-VALUE}).")
    int telegramUpdates = 20_000;

    @Option(names = "--arbitrage-updates", description = "Book updates in the arbitrage run as fast as it goes "
            + "(default ${DEFAULT-VALUE}).")
    int arbitrageUpdates = 200_000;

    @Option(names = "--arbitrage-seconds", description = "How long the paced arbitrage run sends (default ${DEFAULT-VALUE}).")
    int arbitrageSeconds = 30;

    @Option(names = "--runs", split = ",", description = "Which runs, of raw, eos, kafka, half, curve, flow, http, fraud-lag, telegram, chain, arbitrage, agents "
            + "(default: all). 'half' and 'flow' run at half the rate 'kafka' reached, or at --paced-rate without it; "
            + "'curve' runs at each of --curve-rates in turn.")
    List<String> runs = List.of("raw", "eos", "kafka", "half", "curve", "flow", "http", "fraud-lag", "telegram", "chain",
            "arbitrage", "agents");

    @Option(names = "--curve-rates", split = ",", description = "Orders per second of the latency curve's steps "
            + "(default ${DEFAULT-VALUE}).")
    List<Integer> curveRates = List.of(25, 50, 100, 200);

    @Option(names = "--curve-seconds", description = "How long each step of the latency curve sends "
            + "(default ${DEFAULT-VALUE}).")
    int curveSeconds = 20;

    @Option(names = "--paced-rate", description = "Orders per second of 'half' and 'flow' when 'kafka' is not run "
            + "(default ${DEFAULT-VALUE}).")
    int pacedRate = 200;

    @Option(names = "--jit-warm-up-max-seconds", description = "The longest the warm-up waits for the JIT to settle "
            + "(default ${DEFAULT-VALUE}).")
    int jitWarmUpMaxSeconds = 180;

    @Option(names = "--agent-tasks", description = "Tasks in the agents run as fast as it goes (default ${DEFAULT-VALUE}).")
    long agentTasks = 20_000;

    @Option(names = "--out", description = "Report directory (default ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-report");

    private static final String TELEGRAM_SECRET = "bench-webhook-secret";

    @Override
    public Integer call() throws Exception {
        System.setProperty("BREWSTREAM_ORDER_REQUIRED_CHECKS", "PRICING,INVENTORY,FRAUD");
        System.setProperty("BREWSTREAM_FRAUD_WAIT_FOR_PAYMENT", "false");
        System.setProperty("BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS", "benchbot=" + TELEGRAM_SECRET);
        // the bench's venues publish every book many times a second: a book silent for half a second is stale
        System.setProperty("BREWSTREAM_ARBITRAGE_MAX_BOOK_AGE", "500ms");
        Path dataDir = Files.createTempDirectory("brewstream-bench");
        StandaloneSettings settings = StandaloneSettings.fromEnv(io.brewstream.platform.config.Env.system())
                .withDataDir(dataDir, true).withPorts(0, 0, 0, 0, 0);
        Duration timeout = Duration.ofMinutes(3);
        try (Standalone stack = Standalone.start(settings)) {
            if (!stack.awaitReady(Duration.ofMinutes(3))) {
                throw new IllegalStateException("the stack did not get ready");
            }
            List<Shop> benchShops = benchShops(shops);
            stockUp(stack, benchShops);
            OrderTraffic traffic = new OrderTraffic(benchShops.stream().map(Shop::getShopId).toList(), menu(), CUSTOMERS);
            int recordSize = Topics.ORDER_COMMANDS.valueSerde(AvroSerdes.forRegistry(stack.registry().apiUrl()))
                    .serializer().serialize(Topics.ORDER_COMMANDS.name(), traffic.next().command()).length;
            ReferencePipes pipes = new ReferencePipes(stack.bootstrapServers(), Topics.ORDER_PARTITIONS, dataDir.resolve("bench"));
            OrderFlowBenchmark flow = new OrderFlowBenchmark(stack.bootstrapServers(), stack.registry().apiUrl(), traffic);

            List<BenchResult> results = new ArrayList<>();
            Map<String, Object> findings = new LinkedHashMap<>();
            BenchResult rawPipe = null;
            Duration jitWarmUp;
            int half = pacedRate;
            try (TopicWrites quiet = new TopicWrites(stack.bootstrapServers())) {
                System.out.println("warming up ...");
                flow.kafkaDirect("warm-up", 3_000, 1_000, timeout);
                jitWarmUp = untilTheJitSettles(flow, Duration.ofSeconds(jitWarmUpMaxSeconds), timeout);
                if (runs.contains("raw")) {
                    rawPipe = report(sustained(quiet, count -> pipes.rawPipe(recordSize, count, 0, timeout)));
                    results.add(rawPipe);
                }
                if (runs.contains("eos")) {
                    results.add(report(sustained(quiet, count -> pipes.exactlyOnceHop(recordSize, count, 0,
                            settings.commitInterval(), timeout))));
                }
                if (runs.contains("kafka")) {
                    settle(quiet);
                    BenchResult full = report(flow.kafkaDirect("orders, Kafka-direct, as fast as it goes", orders, 0,
                            timeout));
                    results.add(full);
                    half = (int) Math.max(10, full.throughputPerSecond() / 2);
                }
                if (runs.contains("half")) {
                    settle(quiet);
                    results.add(report(flow.kafkaDirect("orders, Kafka-direct, at " + half + "/s (half the maximum)",
                            Math.min(orders, half * 30L), half, timeout)));
                }
                if (runs.contains("curve")) {
                    for (int rate : curveRates) {
                        settle(quiet);
                        results.add(report(flow.kafkaDirect("orders, Kafka-direct, at " + rate + "/s (latency curve)",
                                (long) rate * curveSeconds, rate, timeout)));
                    }
                }
                if (runs.contains("flow")) {
                    settle(quiet);
                    results.add(report(flow.fullFlow("full flow to PICKED_UP, Kafka-direct, " + half
                            + "/s on average in bursts (3x for 2 s every 10 s)", Math.min(orders, half * 30L), half,
                            timeout)));
                }
                if (runs.contains("fraud-lag")) {
                    // how often the customer velocity rule fires an order late: one customer's orders at shops of
                    // distinct partitions, gap apart, in bursts (issue #19; strict mode should show none)
                    settle(quiet);
                    var lag = new io.brewstream.bench.FraudLagBenchmark(stack.bootstrapServers(),
                            stack.registry().apiUrl(), benchShops.stream().map(Shop::getShopId).toList(), menu().get(0))
                            .run(List.of(0L, 10L, 20L, 50L, 100L, 200L), 20,
                                    TopologyCatalog.fraudSettings(io.brewstream.platform.config.Env.system())
                                            .customerOrdersShort(), timeout);
                    lag.forEach(r -> System.out.printf("fraud lag, %d ms apart: %d of %d velocity firings late (%.1f %%)%n",
                            r.gapMillis(), r.late(), r.shouldFire(), 100 * r.lateShare()));
                    findings.put("customer velocity fired late (" + TopologyCatalog.fraudMode(
                            io.brewstream.platform.config.Env.system()) + ")", lag);
                }
                if (runs.contains("telegram")) {
                    // the webhook's targets: p99 under 50 ms at 1,000 updates/s, 2,000 updates/s sustained
                    TelegramWebhookBenchmark webhook = new TelegramWebhookBenchmark(stack.httpUrl()
                            + "/bots/telegram/benchbot", TELEGRAM_SECRET);
                    settle(quiet);
                    // the webhook's own path warmed like the orders' (the JIT, the chats' sessions), not measured
                    webhook.run("Telegram webhook warm-up", 10_000, 1_000, 40, 1_000_000_000L);
                    settle(quiet);
                    // Telegram holds at most max_connections requests open to a webhook: 40 by default, 100 at most
                    results.add(report(webhook.run("Telegram webhook, 1,000 updates/s, 40 connections (Telegram's default)",
                            telegramUpdates, 1_000, 40, 1)));
                    settle(quiet);
                    results.add(report(webhook.run("Telegram webhook, 1,000 updates/s, 256 in flight (more than Telegram opens)",
                            telegramUpdates, 1_000, 256, 1 + telegramUpdates)));
                    settle(quiet);
                    results.add(report(webhook.run("Telegram webhook, as fast as it goes, 100 connections (Telegram's most)",
                            telegramUpdates, 0, 100, 1 + 2L * telegramUpdates)));
                }
                if (runs.contains("chain")) {
                    // the watcher's target: it keeps up with 1,000 transfers per block (a local anvil of its own)
                    settle(quiet);
                    results.add(report(ChainWatcherBenchmark.run("chain watcher, 1,000 ERC-20 transfers per block, 3 blocks",
                            stack.bootstrapServers(), stack.registry().apiUrl(), 1_000, 3)));
                }
                if (runs.contains("arbitrage")) {
                    // the targets: a third of the raw pipe in book updates per second; p99 update -> event under
                    // 100 ms at half that; every real dislocation found; under 5 % not executable 100 ms later
                    ArbitrageBenchmark arbitrage = new ArbitrageBenchmark(stack.bootstrapServers(),
                            AvroSerdes.forRegistry(stack.registry().apiUrl()), Standalone.APPLICATION_ID_PREFIX + "-"
                                    + new ArbitrageTopology(ArbitrageSettings.defaults()).name(), 7);
                    arbitrage.publishFees();
                    settle(quiet);
                    arbitrage.asFastAsItGoes("arbitrage warm-up", arbitrageUpdates / 4, timeout);
                    settle(quiet);
                    BenchResult fastest = report(arbitrage.asFastAsItGoes("arbitrage: book updates processed, as fast as"
                            + " they go (6 venues x 8 pairs)", arbitrageUpdates, timeout));
                    results.add(fastest);
                    int halfRate = (int) Math.max(100, fastest.throughputPerSecond() / 2);
                    settle(quiet);
                    ArbitrageBenchmark.PacedRun paced = arbitrage.paced("arbitrage: book update -> opportunity event, "
                            + halfRate + " updates/s (half the maximum), labelled dislocations", halfRate,
                            Duration.ofSeconds(arbitrageSeconds), timeout);
                    results.add(report(paced.timing()));
                    findings.put("arbitrage accuracy at " + halfRate + " updates/s", paced.accuracy());
                    System.out.println("arbitrage accuracy: " + paced.accuracy());
                }
                if (runs.contains("agents")) {
                    // the targets: 5,000 tasks/s routed and completed by echo agents; p99 submission -> COMPLETED
                    // under 200 ms at half that; an agent killed mid-task: its tasks done elsewhere within three
                    // heartbeats plus the attempt timeout, none lost, none completed twice
                    try (AgentsBenchmark agents = new AgentsBenchmark(stack.bootstrapServers(), stack.registry().apiUrl())) {
                        settle(quiet);
                        agents.echo("agents warm-up", 2, agentTasks / 4, 0, 2_000, timeout);
                        settle(quiet);
                        BenchResult fastest = report(agents.echo("agents: echo tasks routed and completed, as fast as"
                                + " they go (2 agents, 2,000 in flight)", 2, agentTasks, 0, 2_000, timeout));
                        results.add(fastest);
                        int halfRate = (int) Math.max(10, fastest.throughputPerSecond() / 2);
                        settle(quiet);
                        results.add(report(agents.echo("agents: submission -> COMPLETED at " + halfRate
                                + " tasks/s (half the maximum)", 2, halfRate * 30L, halfRate, 100_000, timeout)));
                        settle(quiet);
                        results.add(report(agents.agentKilled("agents: an agent halted mid-task (heartbeat 1 s,"
                                + " attempt timeout " + TopologyCatalog.agentsSettings(io.brewstream.platform.config.Env.system())
                                        .attemptTimeout() + ")", 400, Duration.ofSeconds(1),
                                TopologyCatalog.agentsSettings(io.brewstream.platform.config.Env.system()).attemptTimeout(),
                                timeout, findings)));
                    }
                }
                if (runs.contains("http")) {
                    settle(quiet);
                    DevelopmentIssuer issuer = stack.developmentIssuer().orElseThrow();
                    Map<String, String> tokens = new ConcurrentHashMap<>();
                    results.add(report(flow.http("orders, HTTP ingress, " + httpConcurrency + " in flight", stack.httpUrl(),
                            httpOrders, 0, httpConcurrency, timeout, customer -> tokens.computeIfAbsent(customer,
                                    c -> "Bearer " + issuer.mint(c, Set.of(Role.CUSTOMER), Set.of(), Optional.of(c),
                                            Duration.ofHours(1))))));
                }
            }

            Map<String, Object> machine = new LinkedHashMap<>();
            machine.put("cores", Runtime.getRuntime().availableProcessors());
            machine.put("maxHeapMb", Runtime.getRuntime().maxMemory() / 1048576);
            machine.put("java", System.getProperty("java.version"));
            machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            Map<String, Object> runSettings = new LinkedHashMap<>();
            runSettings.put("recordBytes", recordSize);
            runSettings.put("orderPartitions", Topics.ORDER_PARTITIONS);
            runSettings.put("shops", shops);
            runSettings.put("customers", CUSTOMERS);
            runSettings.put("commitInterval", settings.commitInterval().toString());
            runSettings.put("streamThreadsPerTopology", settings.streamThreads());
            runSettings.put("requiredChecks", "PRICING,INVENTORY,FRAUD");
            runSettings.put("fraudMode", TopologyCatalog.fraudMode(io.brewstream.platform.config.Env.system()).name());
            runSettings.put("bearerTokenValidationMicros", tokenValidationMicros(stack));
            runSettings.put("warmUp", "3000 orders at once, then " + jitWarmUp.toSeconds() + " s at "
                    + JIT_WARM_UP_RATE + "/s until the JIT compiled less than " + (int) (JIT_SETTLED * 100)
                    + " % of the time");
            BenchReport.write(out, machine, runSettings, rawPipe, results, findings);
            System.out.println("report written to " + out.toAbsolutePath());
            System.out.println(Files.readString(out.resolve("report.md")));
        } finally {
            Directories.deleteRecursively(dataDir);
        }
        return 0;
    }

    /**
     * Sends rounds of orders at a moderate rate until the JIT compilers were busy less than {@link #JIT_SETTLED}
     * of a round, or for {@code atMost}: the stack is a lot of code (broker, six Streams applications, CDC)
     * and its single C2 thread keeps compiling for minutes on two cores, taking CPU from what is measured.
     */
    private static Duration untilTheJitSettles(OrderFlowBenchmark flow, Duration atMost, Duration timeout)
            throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        while (true) {
            long compiledBefore = jit.getTotalCompilationTime();
            long roundStart = System.nanoTime();
            flow.kafkaDirect("warm-up", JIT_WARM_UP_RATE * 10L, JIT_WARM_UP_RATE, timeout);
            double roundMillis = (System.nanoTime() - roundStart) / 1e6;
            double compiling = (jit.getTotalCompilationTime() - compiledBefore) / roundMillis;
            Duration spent = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("warming up: the JIT compiled %.0f %% of the last round%n", compiling * 100);
            if (compiling < JIT_SETTLED || spent.compareTo(atMost) >= 0) {
                return spent;
            }
        }
    }

    /** Before each run: until what followed from the last one has settled (see {@link TopicWrites#awaitQuiet}). */
    private static void settle(TopicWrites writes) throws Exception {
        Duration took = writes.awaitQuiet(QUIET_WRITES_PER_SECOND, Duration.ofMinutes(2));
        System.out.printf("settled in %.1f s%n", took.toMillis() / 1000.0);
    }

    private static BenchResult report(BenchResult result) {
        System.out.printf("%s: %d/%d in %.1f s, %.0f/s, p50 %.0f ms, p99 %.0f ms, errors %d%n", result.name(),
                result.completed(), result.sent(), result.seconds(), result.throughputPerSecond(), result.p50Ms(),
                result.p99Ms(), result.errors());
        return result;
    }

    private static List<OrderTraffic.Item> menu() {
        return DemoData.menu().stream().map(item -> new OrderTraffic.Item(item.getMenuItemId(),
                List.copyOf(item.getSizes()), item.getOptions().contains("oat"))).toList();
    }

    private static boolean hasBenchStock(String stockJson) throws java.io.IOException {
        for (var level : Json.mapper().readTree(stockJson).path("ingredients")) {
            if (level.path("onHand").asLong() >= BENCH_DELIVERY) {
                return true;
            }
        }
        return false;
    }

    /**
     * What checking bearer tokens costs the ingress, in microseconds (medians of 20,000 after 5,000 to warm up): a
     * token seen for the first time (its RS256 signature and claims are checked), and one seen again within a
     * minute (answered from the verifier's memory, as a client's every request after its first).
     */
    private static Map<String, Double> tokenValidationMicros(Standalone stack) throws Exception {
        DevelopmentIssuer issuer = stack.developmentIssuer().orElseThrow();
        var verifier = issuer.verifier();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 25_000; i++) {
            tokens.add(issuer.mint("bench-customer-" + i, Set.of(Role.CUSTOMER), Set.of(), Optional.of("c-" + i),
                    Duration.ofHours(1)));
        }
        long[] first = new long[20_000];
        long[] again = new long[20_000];
        for (int i = 0; i < tokens.size(); i++) {
            long start = System.nanoTime();
            verifier.verify(tokens.get(i));
            long took = System.nanoTime() - start;
            start = System.nanoTime();
            verifier.verify(tokens.get(i));
            long repeat = System.nanoTime() - start;
            if (i >= 5_000) {
                first[i - 5_000] = took;
                again[i - 5_000] = repeat;
            }
        }
        java.util.Arrays.sort(first);
        java.util.Arrays.sort(again);
        Map<String, Double> micros = new LinkedHashMap<>();
        micros.put("firstSeen", Math.round(first[first.length / 2] / 100.0) / 10.0);
        micros.put("seenAgain", Math.round(again[again.length / 2] / 10.0) / 100.0);
        return micros;
    }

    /** A reference run of a given number of records. */
    private interface SizedRun {
        BenchResult run(long records) throws Exception;
    }

    /**
     * A reference run that lasts at least {@code --reference-seconds}: sized from the rate of the run before (the
     * first has {@code --orders} records), at most four runs; the last is reported. A pipe runs faster the longer it
     * runs (its batches fill up), so one guess from a short run falls short.
     */
    private BenchResult sustained(TopicWrites quiet, SizedRun run) throws Exception {
        long records = orders;
        BenchResult result = null;
        for (int attempt = 0; attempt < 4 && (result == null || result.seconds() < referenceSeconds); attempt++) {
            if (result != null) {
                records = Math.max(records, (long) Math.ceil(result.throughputPerSecond() * referenceSeconds * 1.2));
            }
            settle(quiet);
            result = run.run(records);
        }
        return result;
    }

    /**
     * The demo's shops and as many more, around them, as make {@code count}: at the bench's rates each then takes a
     * few orders a second at most, as a coffee shop does.
     */
    static List<Shop> benchShops(int count) {
        List<Shop> all = new ArrayList<>(DemoData.shops());
        Shop model = all.get(0);
        for (int i = all.size(); i < count; i++) {
            all.add(Shop.newBuilder(model).setShopId(String.format("bench-shop-%04d", i)).setName("Bench shop " + i)
                    .setLocation(io.brewstream.schemas.common.GeoPoint.newBuilder()
                            .setLatitude(52.40 + (i % 40) * 0.006).setLongitude(13.20 + (i / 40) * 0.01).build())
                    .build());
        }
        return all;
    }

    /**
     * The bench's shops in the operational database, each with a delivery of everything large enough that no order
     * of the run lacks stock; returns once every shop's stock is readable.
     */
    private static void stockUp(Standalone stack, List<Shop> shops) throws Exception {
        try (Connection connection = stack.database().connect()) {
            ReferenceRows rows = new ReferenceRows(connection);
            for (Shop shop : shops) {
                rows.upsert(shop);
            }
            for (var shop : shops) {
                List<IngredientQuantity> items = DemoData.openingDeliveries().get(0).getItems().stream()
                        .map(i -> IngredientQuantity.newBuilder(i).setQuantity(BENCH_DELIVERY).build()).toList();
                rows.insert(StockDelivery.newBuilder().setDeliveryId("bench-" + shop.getShopId()).setShopId(shop.getShopId())
                        .setItems(items).setSupplier("bench").setDeliveredAt(Instant.now()).build());
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        String manager = "Bearer " + stack.developmentIssuer().orElseThrow().mint("bench", Set.of(Role.MANAGER),
                Set.of(Principal.ALL_SHOPS), Optional.empty(), Duration.ofMinutes(10));
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (var shop : shops) {
            while (true) {
                HttpResponse<String> stock = http.send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/api/v1/shops/"
                        + shop.getShopId() + "/stock")).header("Authorization", manager).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (stock.statusCode() == 200 && hasBenchStock(stock.body())) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the bench delivery did not reach the stock of " + shop.getShopId());
                }
                Thread.sleep(200);
            }
        }
    }
}

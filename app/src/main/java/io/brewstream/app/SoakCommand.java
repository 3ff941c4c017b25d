package io.brewstream.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.brewstream.bench.BenchResult;
import io.brewstream.bench.FaultSchedule;
import io.brewstream.bench.OrderAccounting;
import io.brewstream.bench.OrderFlowBenchmark;
import io.brewstream.bench.OrderLedger;
import io.brewstream.bench.OrderTraffic;
import io.brewstream.bench.RunReferenceData;
import io.brewstream.bench.TopicWrites;
import io.brewstream.embedded.Directories;
import io.brewstream.embedded.EmbeddedKafka;
import io.brewstream.embedded.EmbeddedSchemaRegistry;
import io.brewstream.embedded.FreePorts;
import io.brewstream.platform.http.Json;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Orders through the full flow at a steady rate while faults strike: the orders and fraud process",
                "killed with SIGKILL at random moments and started again, the broker restarted, the schema registry",
                "stopped for a while. The soak also acts as the process's supervisor: should it exit by itself, it is",
                "started again and the exit reported.",
                "Then the accounting, from the topics: every order ended once in one final state, no status or event",
                "twice, the stock adds up, nothing dead-lettered; and the time each kill took to recover. A broker, a",
                "registry and the streams process of its own; writes report.json and report.md to --out; exits 1 when",
                "the accounting finds anything.",
                "Every validated order is paid by card as it is started (some payments delivered twice, some orders",
                "paid twice and refunded once): the money in, out and kept must add up per order."})
final class SoakCommand implements Callable<Integer> {
    @Option(names = "--minutes", description = "How long orders are sent (default ${DEFAULT-VALUE}).")
    int minutes = 30;

    @Option(names = "--rate", description = "Orders per second, in the full flow (default ${DEFAULT-VALUE}).")
    int rate = 200;

    @Option(names = "--kills", description = "SIGKILLs of the streams process (default ${DEFAULT-VALUE}).")
    int kills = 10;

    @Option(names = "--registry-outage-seconds", description = "How long the registry is stopped, mid-run; 0: not "
            + "(default ${DEFAULT-VALUE}).")
    int registryOutageSeconds = 90;

    @Option(names = "--broker-restarts", description = "Restarts of the broker (stopped cleanly, started again on its "
            + "data) at random moments (default ${DEFAULT-VALUE}).")
    int brokerRestarts = 1;

    @Option(names = "--shops", description = "Shops the orders go to (default ${DEFAULT-VALUE}).")
    int shops = 50;

    @Option(names = "--seed", description = "Seed of the fault schedule (default ${DEFAULT-VALUE}).")
    long seed = 7;

    @Option(names = "--out", description = "Report directory (default ${DEFAULT-VALUE}).")
    Path out = Path.of("soak-report");

    /**
     * A fault's recovery. A kill: from SIGKILL to the restarted process's applications RUNNING. A broker restart:
     * from the broker's stop to the first order event written after it is back (orders moving again).
     */
    private record Recovery(Duration at, FaultSchedule.Kind kind, Duration took) {
    }

    /** An exit of the streams process nobody planned, seen by the soak as its supervisor. */
    private record UnplannedExit(Duration at, int exitCode) {
    }

    @Override
    public Integer call() throws Exception {
        Duration run = Duration.ofMinutes(minutes);
        Duration outage = Duration.ofSeconds(registryOutageSeconds);
        List<FaultSchedule.Fault> faults = FaultSchedule.plan(run, kills, outage, brokerRestarts, Duration.ofSeconds(30),
                seed);
        long orders = (long) rate * run.toSeconds();
        Path dataDir = Files.createTempDirectory("brewstream-soak");
        boolean clean = false;
        int registryPort = FreePorts.next();
        EmbeddedSchemaRegistry registry = null;
        StreamsProcess streams = null;
        Thread supervisor = null;
        // on fixed ports, so the restarted broker is where every client looks for it
        try (EmbeddedKafka kafka = EmbeddedKafka.persistent(dataDir.resolve("kafka"), 0, 0).start();
                TopicWrites writes = new TopicWrites(kafka.bootstrapServers())) {
            // persistent, so the schema ids survive its outage
            registry = EmbeddedSchemaRegistry.persistent(dataDir.resolve("registry"), registryPort).start();
            String registryUrl = registry.apiUrl();
            TopicProvisioner.ensureAll(kafka.bootstrapServers(), 1);
            String prefix = "soak-" + UUID.randomUUID().toString().substring(0, 8);
            List<String> shopIds = RunReferenceData.shops(prefix, shops);
            // the first shop has milk for about half of its orders (about 100 ml each): it runs out mid-run
            RunReferenceData.publish(kafka.bootstrapServers(), registryUrl, shopIds, orders / shops / 2 * 100);
            streams = StreamsProcess.orderPath(kafka.bootstrapServers(), registryUrl, prefix,
                    dataDir.resolve("streams"), dataDir.resolve("streams.log"));
            streams.start().awaitReady(Duration.ofMinutes(3));

            OrderFlowBenchmark flow = new OrderFlowBenchmark(kafka.bootstrapServers(), registryUrl,
                    new OrderTraffic(shopIds, RunReferenceData.menu(), 200_000));
            System.out.printf("soak: %d orders at %d/s for %d min; faults: %s%n", orders, rate, minutes, faults);
            Instant started = Instant.now();
            CompletableFuture<BenchResult> sending = CompletableFuture.supplyAsync(() -> {
                try {
                    return flow.fullFlowPaying("soak, full flow at " + rate + "/s, paid by card", orders, rate,
                            run.plusMinutes(15));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            List<UnplannedExit> exits = new CopyOnWriteArrayList<>();
            supervisor = supervise(streams, started, exits);
            List<Recovery> recoveries = new ArrayList<>();
            for (FaultSchedule.Fault fault : faults) {
                Duration wait = Duration.between(Instant.now(), started.plus(fault.at()));
                if (!wait.isNegative()) {
                    Thread.sleep(wait.toMillis()); // the fault's moment, as planned
                }
                Duration at = Duration.between(started, Instant.now());
                if (fault.kind() == FaultSchedule.Kind.KILL_STREAMS) {
                    long killed = System.nanoTime();
                    synchronized (streams) {
                        streams.kill();
                        streams.start().awaitReady(Duration.ofMinutes(3));
                    }
                    Recovery recovery = new Recovery(at, fault.kind(), Duration.ofNanos(System.nanoTime() - killed));
                    recoveries.add(recovery);
                    System.out.printf("soak: %s SIGKILL, RUNNING again after %.1f s%n", at, recovery.took().toMillis() / 1000.0);
                } else if (fault.kind() == FaultSchedule.Kind.RESTART_BROKER) {
                    long stopped = System.nanoTime();
                    kafka.close();
                    kafka.start();
                    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                    long eventsBack = orderEvents(writes);
                    while (eventsBack < 0 && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                        eventsBack = orderEvents(writes);
                    }
                    while (orderEvents(writes) <= eventsBack && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    Recovery recovery = new Recovery(at, fault.kind(), Duration.ofNanos(System.nanoTime() - stopped));
                    recoveries.add(recovery);
                    System.out.printf("soak: %s broker restarted, orders moving again after %.1f s%n", at,
                            recovery.took().toMillis() / 1000.0);
                } else {
                    registry.close();
                    System.out.printf("soak: %s registry stopped for %d s%n", at, fault.lasting().toSeconds());
                    Thread.sleep(fault.lasting().toMillis());
                    registry = EmbeddedSchemaRegistry.persistent(dataDir.resolve("registry"), registryPort).start();
                    System.out.printf("soak: registry back%n");
                }
            }
            BenchResult result = sending.get();
            supervisor.interrupt();

            OrderAccounting accounting = new OrderAccounting(kafka.bootstrapServers(), registryUrl);
            LinkedHashSet<String> shopSet = new LinkedHashSet<>(shopIds);
            OrderLedger ledger = accounting.read(shopSet, Duration.ofMinutes(2));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (ledger.open() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(2_000); // orders still on their way after the last one was sent
                ledger = accounting.read(shopSet, Duration.ofMinutes(2));
            }
            OrderLedger.Findings findings = ledger.findings();
            List<String> deadLetters = accounting.deadLetters(prefix, shopSet, Duration.ofMinutes(2));
            write(result, findings, deadLetters, recoveries, exits, faults);
            System.out.println(Files.readString(out.resolve("report.md")));
            clean = findings.clean() && deadLetters.isEmpty();
            return clean ? 0 : 1;
        } finally {
            if (supervisor != null) {
                supervisor.interrupt();
                supervisor.join(TimeUnit.MINUTES.toMillis(4));
            }
            if (streams != null) {
                streams.close();
            }
            if (registry != null) {
                registry.close();
            }
            if (clean) {
                Directories.deleteRecursively(dataDir);
            } else { // what failed is read from the streams log and the broker's data, so they stay
                System.out.printf("soak: kept %s (streams.log, kafka, registry) for a look at what went wrong%n", dataDir);
            }
        }
    }

    /**
     * What a deployment's supervisor does (a restart policy): should the streams process exit by itself, it is
     * started again and the exit recorded. Planned kills hold the process's lock while they kill and restart.
     */
    private static Thread supervise(StreamsProcess streams, Instant started, List<UnplannedExit> exits) {
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(500);
                    synchronized (streams) {
                        if (!streams.alive()) {
                            Duration at = Duration.between(started, Instant.now());
                            exits.add(new UnplannedExit(at, streams.exitCode()));
                            System.out.printf("soak: %s the streams process exited by itself (exit %d); started again%n",
                                    at, streams.exitCode());
                            streams.start().awaitReady(Duration.ofMinutes(3));
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.out.printf("soak: the supervisor could not start the streams process again: %s%n", e);
                }
            }
        }, "soak-supervisor");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Records and transaction markers written to orders.events so far. */
    private static long orderEvents(TopicWrites writes) {
        try {
            return writes.endOffsets().getOrDefault(Topics.ORDER_EVENTS.name(), 0L);
        } catch (Exception brokerNotAnsweringYet) {
            return -1;
        }
    }

    private static Map<String, Object> recoveryFigures(List<Recovery> recoveries, FaultSchedule.Kind kind) {
        List<Long> each = recoveries.stream().filter(r -> r.kind() == kind).map(r -> r.took().toMillis()).toList();
        List<Long> sorted = each.stream().sorted().toList();
        return Map.of("each", each, "p50", sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2),
                "max", sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
    }

    private void write(BenchResult result, OrderLedger.Findings findings, List<String> deadLetters,
            List<Recovery> recoveries, List<UnplannedExit> exits, List<FaultSchedule.Fault> faults) throws Exception {
        Map<String, Object> kill = recoveryFigures(recoveries, FaultSchedule.Kind.KILL_STREAMS);
        Map<String, Object> broker = recoveryFigures(recoveries, FaultSchedule.Kind.RESTART_BROKER);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("settings", Map.of("minutes", minutes, "rate", rate, "kills", kills, "registryOutageSeconds",
                registryOutageSeconds, "brokerRestarts", brokerRestarts, "shops", shops, "seed", seed, "cores", Runtime.getRuntime().availableProcessors()));
        report.put("flow", Map.of("sent", result.sent(), "pickedUp", result.completed(), "p50Ms", result.p50Ms(),
                "p99Ms", result.p99Ms(), "endedOtherwise", result.errors()));
        report.put("recoveryMillis", Map.of("afterSigkill", kill, "afterBrokerRestart", broker));
        report.put("unplannedExits", exits.stream().map(e -> e.at().toSeconds() + " s exit " + e.exitCode()).toList());
        report.put("faults", faults.stream().map(f -> f.at().toSeconds() + " s " + f.kind()
                + (f.lasting().isZero() ? "" : " for " + f.lasting().toSeconds() + " s")).toList());
        Map<String, Object> accounting = new LinkedHashMap<>();
        accounting.put("clean", findings.clean() && deadLetters.isEmpty());
        accounting.put("ordersPlaced", findings.ordersPlaced());
        accounting.put("endedIn", findings.endedIn());
        accounting.put("notEnded", findings.notEnded());
        accounting.put("endedMoreThanOnce", findings.endedMoreThanOnce());
        accounting.put("enteredAStatusTwice", findings.enteredAStatusTwice());
        accounting.put("duplicatedEventIds", findings.duplicatedEventIds());
        accounting.put("withoutCommand", findings.withoutCommand());
        accounting.put("stockLevelsCompared", findings.stockLevels());
        accounting.put("stockMismatches", findings.stockMismatches());
        accounting.put("payments", findings.payments());
        accounting.put("refunds", findings.refunds());
        accounting.put("moneyMismatches", findings.moneyMismatches());
        accounting.put("undecodable", findings.undecodable());
        accounting.put("deadLetters", deadLetters);
        accounting.put("examples", findings.examples());
        report.put("accounting", accounting);
        Files.createDirectories(out);
        Json.mapper().writerWithDefaultPrettyPrinter().writeValue(out.resolve("report.json").toFile(), report);
        String md = "# Soak: " + minutes + " min at " + rate + " orders/s, " + kills + " SIGKILLs, " + brokerRestarts
                + " broker restart(s), a " + registryOutageSeconds + " s registry outage\n\n"
                + "- Orders: " + result.sent() + " sent, " + result.completed() + " picked up; p50 " + Math.round(result.p50Ms())
                + " ms, p99 " + Math.round(result.p99Ms()) + " ms from send to PICKED_UP\n"
                + "- Recovery after SIGKILL (kill to RUNNING again, JVM start included): p50 " + kill.get("p50")
                + " ms, max " + kill.get("max") + " ms (each: " + kill.get("each") + ")\n"
                + "- Recovery after a broker restart (stop to orders moving again): p50 " + broker.get("p50")
                + " ms, max " + broker.get("max") + " ms (each: " + broker.get("each") + ")\n"
                + "- Exits of the streams process nobody planned (started again by the soak): " + exits.size()
                + (exits.isEmpty() ? "" : " " + exits) + "\n"
                + "- Accounting: " + findings + "\n"
                + "- Dead letters: " + deadLetters.size() + "\n"
                + "- Verdict: " + (findings.clean() && deadLetters.isEmpty() ? "nothing lost, nothing twice" : "FINDINGS")
                + "\n";
        Files.writeString(out.resolve("report.md"), md);
    }
}

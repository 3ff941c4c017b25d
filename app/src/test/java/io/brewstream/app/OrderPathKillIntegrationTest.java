package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.bench.BenchResult;
import io.brewstream.bench.OrderAccounting;
import io.brewstream.bench.OrderFlowBenchmark;
import io.brewstream.bench.OrderLedger;
import io.brewstream.bench.OrderTraffic;
import io.brewstream.bench.RunReferenceData;
import io.brewstream.bench.TopicWrites;
import io.brewstream.embedded.EmbeddedKafka;
import io.brewstream.embedded.EmbeddedSchemaRegistry;
import io.brewstream.embedded.FreePorts;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.Topics;

/**
 * The order path survives crashes and a registry outage under load (the soak's short version): the orders and
 * fraud applications run in a process of their own, which is killed with SIGKILL twice while orders flow (placed,
 * validated, paid by card (some payments delivered twice, some orders paid twice), started, made ready, claimed)
 * and started again each time; before the kills the schema registry is
 * stopped for longer than any cache of its answers lasts. Afterwards the topics must say that every order ended
 * exactly once in one final state, no status and no event came twice, the stock shown is what was delivered less
 * what was picked up, nothing is held for a closed order, every payment counted once and the money in, out and
 * kept adds up per order, and nothing was dead-lettered. One shop runs out of milk,
 * so the oversell race is in it. A broker and a registry of its own: the registry is stopped, and records written
 * with its schema ids must not reach the topics other tests read.
 */
class OrderPathKillIntegrationTest {
    private static final long ORDERS = 6_000;
    private static final int RATE = 100;
    /** Milk for about two hundred drinks at the shop that runs out. */
    private static final long SCARCE_MILK_ML = 40_000;
    /** Longer than Apicurio's own cache of registry answers (30 s), which once dead-lettered what an outage met. */
    private static final Duration REGISTRY_OUTAGE = Duration.ofSeconds(35);

    private EmbeddedKafka kafka;
    private EmbeddedSchemaRegistry registry;
    private StreamsProcess streams;

    @AfterEach
    void stop() throws Exception {
        if (streams != null) {
            streams.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyOrderEndsOnceAndTheStockAddsUpAfterTwoCrashesAndARegistryOutageUnderLoad(@TempDir Path state)
            throws Exception {
        kafka = EmbeddedKafka.temporary().start();
        // persistent and on a fixed port, so it comes back with the same schema ids where the clients look for it
        int registryPort = FreePorts.next();
        registry = EmbeddedSchemaRegistry.persistent(state.resolve("registry"), registryPort).start();
        String bootstrapServers = kafka.bootstrapServers();
        String registryUrl = registry.apiUrl();
        TopicProvisioner.ensureAll(bootstrapServers, 1);
        String applicationIds = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> shops = RunReferenceData.shops(applicationIds, 6);
        RunReferenceData.publish(bootstrapServers, registryUrl, shops, SCARCE_MILK_ML);

        streams = StreamsProcess.orderPath(bootstrapServers, registryUrl, applicationIds, state.resolve("streams"),
                state.resolve("streams.log"));
        streams.start();
        streams.awaitReady(Duration.ofMinutes(2));

        // the full flow at a steady rate, in the background: the bench's traffic, acting as customers and baristas
        OrderTraffic traffic = new OrderTraffic(shops, RunReferenceData.menu(), 200_000);
        OrderFlowBenchmark flow = new OrderFlowBenchmark(bootstrapServers, registryUrl, traffic);
        CompletableFuture<BenchResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return flow.fullFlowPaying("orders under SIGKILL", ORDERS, RATE, Duration.ofMinutes(4));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // the registry away, then two crashes: each while orders are being processed, after a few hundred more
        // events. The outage comes first: a process knows the schemas it has used, and one started while the
        // registry is away cannot read or write until it is back (docs/benchmarks.md, "Faults")
        List<Duration> recoveries = new ArrayList<>();
        try (TopicWrites writes = new TopicWrites(bootstrapServers)) {
            awaitMoreOrderEvents(writes);
            registry.close();
            long eventsWithoutRegistry = orderEvents(writes);
            Thread.sleep(REGISTRY_OUTAGE.toMillis()); // the outage's length is the point: no condition ends it sooner
            assertThat(orderEvents(writes) - eventsWithoutRegistry).as("order events written while the registry was away")
                    .isGreaterThan(1_000);
            registry = EmbeddedSchemaRegistry.persistent(state.resolve("registry"), registryPort).start();
            crash(writes, recoveries);
            crash(writes, recoveries);
        }
        BenchResult result = run.get();
        System.out.println("after two SIGKILLs and a registry outage: " + result.completed() + " orders picked up of "
                + result.sent() + ", back to RUNNING after " + recoveries);

        // the accounting, once every order has ended (the flow's own wait may end first)
        OrderAccounting accounting = new OrderAccounting(bootstrapServers, registryUrl);
        Set<String> shopSet = new LinkedHashSet<>(shops);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                .until(() -> accounting.read(shopSet, Duration.ofSeconds(30)).open() == 0);
        OrderLedger.Findings findings = accounting.read(shopSet, Duration.ofSeconds(30)).findings();
        System.out.println("accounting: " + findings);
        assertThat(findings.ordersPlaced()).isEqualTo(ORDERS);
        assertThat(findings.notEnded()).as(findings.toString()).isZero();
        assertThat(findings.endedMoreThanOnce()).as(findings.toString()).isZero();
        assertThat(findings.enteredAStatusTwice()).as(findings.toString()).isZero();
        assertThat(findings.duplicatedEventIds()).as(findings.toString()).isZero();
        assertThat(findings.withoutCommand()).as(findings.toString()).isZero();
        assertThat(findings.undecodable()).as(findings.toString()).isEmpty();
        assertThat(findings.stockMismatches()).as(findings.toString()).isEmpty();
        assertThat(findings.stockLevels()).as("the stock of every shop was compared").isGreaterThanOrEqualTo(shops.size());
        assertThat(findings.moneyMismatches()).as(findings.toString()).isEmpty();
        assertThat(findings.payments()).as("every picked-up order was paid, some twice").isGreaterThan(
                findings.endedIn().get(OrderStatus.PICKED_UP));
        assertThat(findings.refunds()).as("the second payments were refunded").isPositive();
        assertThat(findings.endedIn().get(OrderStatus.PICKED_UP)).as("most orders were picked up")
                .isGreaterThan(ORDERS / 2);
        assertThat(findings.endedIn().get(OrderStatus.REJECTED)).as("the shop out of milk rejected orders").isPositive();
        assertThat(accounting.deadLetters(applicationIds, shopSet, Duration.ofSeconds(30))).as("dead-lettered").isEmpty();
    }

    /** SIGKILL once orders are moving, then started again: recorded is the time until it is RUNNING again. */
    private void crash(TopicWrites writes, List<Duration> recoveries) throws Exception {
        awaitMoreOrderEvents(writes);
        streams.kill();
        Instant killed = Instant.now();
        streams.start();
        streams.awaitReady(Duration.ofMinutes(2));
        recoveries.add(Duration.between(killed, Instant.now()));
    }

    private static void awaitMoreOrderEvents(TopicWrites writes) throws Exception {
        long eventsBefore = orderEvents(writes);
        await().atMost(Duration.ofMinutes(1)).until(() -> orderEvents(writes) - eventsBefore >= 600);
    }

    /** Records and transaction markers written to orders.events so far. */
    private static long orderEvents(TopicWrites writes) throws Exception {
        return writes.endOffsets().getOrDefault(Topics.ORDER_EVENTS.name(), 0L);
    }
}

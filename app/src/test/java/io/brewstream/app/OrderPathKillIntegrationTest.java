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
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.bench.BenchResult;
import io.brewstream.bench.OrderAccounting;
import io.brewstream.bench.OrderFlowBenchmark;
import io.brewstream.bench.OrderLedger;
import io.brewstream.bench.OrderTraffic;
import io.brewstream.bench.RunReferenceData;
import io.brewstream.bench.TopicWrites;
import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.Topics;

/**
 * The order path survives crashes under load: the orders and fraud applications run in a process of their own,
 * which is killed with SIGKILL twice while orders flow (placed, validated, started, made ready, claimed) and
 * started again each time. Afterwards the topics must say that every order ended exactly once in one final state,
 * no status and no event came twice, the stock shown is what was delivered less what was picked up, nothing is
 * held for a closed order, and nothing was dead-lettered. One shop runs out of milk, so the oversell race is in it.
 */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class OrderPathKillIntegrationTest {
    private static final long ORDERS = 3_000;
    private static final int RATE = 100;
    /** Milk for about a hundred drinks at the shop that runs out. */
    private static final long SCARCE_MILK_ML = 20_000;

    private final EmbeddedInfrastructure infra;
    private final List<StreamsProcess> processes = new ArrayList<>();

    OrderPathKillIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
    }

    @AfterEach
    void stop() throws Exception {
        for (StreamsProcess process : processes) {
            process.close();
        }
    }

    @Test
    void everyOrderEndsOnceAndTheStockAddsUpAfterTwoCrashesUnderLoad(@TempDir Path state) throws Exception {
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
        String applicationIds = EmbeddedInfrastructure.uniqueName("kill");
        List<String> shops = RunReferenceData.shops(applicationIds, 6);
        RunReferenceData.publish(infra.bootstrapServers(), infra.registryUrl(), shops, SCARCE_MILK_ML);

        StreamsProcess streams = StreamsProcess.orderPath(infra.bootstrapServers(), infra.registryUrl(), applicationIds,
                state, state.resolveSibling(state.getFileName() + "-streams.log"));
        processes.add(streams);
        streams.start();
        streams.awaitReady(Duration.ofMinutes(2));

        // the full flow at a steady rate, in the background: the bench's traffic, acting as customers and baristas
        OrderTraffic traffic = new OrderTraffic(shops, RunReferenceData.menu(), 200_000);
        OrderFlowBenchmark flow = new OrderFlowBenchmark(infra.bootstrapServers(), infra.registryUrl(), traffic);
        CompletableFuture<BenchResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return flow.fullFlow("orders under SIGKILL", ORDERS, RATE, Duration.ofMinutes(4));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // two crashes, each while orders are being processed: after a few hundred more order events
        List<Duration> recoveries = new ArrayList<>();
        try (TopicWrites writes = new TopicWrites(infra.bootstrapServers())) {
            for (int crash = 0; crash < 2; crash++) {
                long eventsBefore = orderEvents(writes);
                await().atMost(Duration.ofMinutes(1)).until(() -> orderEvents(writes) - eventsBefore >= 600);
                streams.kill();
                Instant killed = Instant.now();
                streams.start();
                streams.awaitReady(Duration.ofMinutes(2));
                recoveries.add(Duration.between(killed, Instant.now()));
            }
        }
        BenchResult result = run.get();
        System.out.println("after two SIGKILLs: " + result.completed() + " orders picked up of " + result.sent()
                + ", back to RUNNING after " + recoveries);

        // the accounting, once every order has ended (the flow's own wait may end first)
        OrderAccounting accounting = new OrderAccounting(infra.bootstrapServers(), infra.registryUrl());
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
        assertThat(findings.stockMismatches()).as(findings.toString()).isEmpty();
        assertThat(findings.stockLevels()).as("the stock of every shop was compared").isGreaterThanOrEqualTo(shops.size());
        assertThat(findings.endedIn().get(OrderStatus.PICKED_UP)).as("most orders were picked up")
                .isGreaterThan(ORDERS / 2);
        assertThat(findings.endedIn().get(OrderStatus.REJECTED)).as("the shop out of milk rejected orders").isPositive();
        assertThat(accounting.deadLetters(applicationIds, shopSet, Duration.ofSeconds(30))).as("dead-lettered").isEmpty();
    }

    /** Records and transaction markers written to orders.events so far. */
    private static long orderEvents(TopicWrites writes) throws Exception {
        return writes.endOffsets().getOrDefault(Topics.ORDER_EVENTS.name(), 0L);
    }
}

package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.bench.BenchResult;
import io.brewstream.bench.OrderAccounting;
import io.brewstream.bench.OrderFlowBenchmark;
import io.brewstream.bench.OrderLedger;
import io.brewstream.bench.OrderTraffic;
import io.brewstream.bench.TopicWrites;
import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.KeyPartitioning;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.DemoData;

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
        List<String> shops = shopsInDifferentPartitions(applicationIds, 6);
        publishReferenceData(shops);

        StreamsProcess streams = new StreamsProcess(List.of("orders", "fraud"), Map.of(
                "BREWSTREAM_BOOTSTRAP_SERVERS", infra.bootstrapServers(),
                "BREWSTREAM_REGISTRY_URL", infra.registryUrl(),
                "BREWSTREAM_APPLICATION_ID_PREFIX", applicationIds,
                "BREWSTREAM_STANDBY_REPLICAS", "0",
                "BREWSTREAM_ORDER_REQUIRED_CHECKS", "PRICING,INVENTORY,FRAUD",
                "BREWSTREAM_FRAUD_WAIT_FOR_PAYMENT", "false"), state, state.resolveSibling(state.getFileName() + "-streams.log"));
        processes.add(streams);
        streams.start();
        awaitReady(streams);

        // the full flow at a steady rate, in the background: the bench's traffic, acting as customers and baristas
        OrderTraffic traffic = new OrderTraffic(shops, DemoData.menu().stream().map(item -> new OrderTraffic.Item(
                item.getMenuItemId(), List.copyOf(item.getSizes()), item.getOptions().contains("oat"))).toList(), 200_000);
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
                awaitReady(streams);
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
        assertThat(accounting.deadLetters(applicationIds, Duration.ofSeconds(30))).as("dead-lettered").isEmpty();
    }

    /** Records and transaction markers written to orders.events so far. */
    private static long orderEvents(TopicWrites writes) throws Exception {
        return writes.endOffsets().getOrDefault(Topics.ORDER_EVENTS.name(), 0L);
    }

    private static void awaitReady(StreamsProcess streams) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(streams.alive()).as("the streams process runs (see its log next to its state)").isTrue();
            return streams.ready();
        });
    }

    /** Shops of this test only, each in a partition of its own, so every task of the orders application has work. */
    private static List<String> shopsInDifferentPartitions(String prefix, int count) {
        Map<Integer, String> byPartition = new java.util.TreeMap<>();
        for (int i = 0; byPartition.size() < count; i++) {
            byPartition.putIfAbsent(KeyPartitioning.ofShop(prefix + "-shop-" + i, Topics.ORDER_COMMANDS.partitions()),
                    prefix + "-shop-" + i);
        }
        return List.copyOf(byPartition.values());
    }

    /** The menu and recipes, the shops, and a delivery per shop: plenty, but little milk at the first shop. */
    private void publishReferenceData(List<String> shops) throws Exception {
        AvroSerdes serdes = AvroSerdes.forRegistry(infra.registryUrl());
        Shop model = DemoData.shops().get(0);
        send(serdes, Topics.MENU_ITEMS, DemoData.menu().stream().map(m -> Map.entry(m.getMenuItemId(), m)).toList());
        send(serdes, Topics.RECIPES, DemoData.recipes().stream().map(r -> Map.entry(r.getMenuItemId(), r)).toList());
        send(serdes, Topics.SHOPS, shops.stream().map(id -> Map.entry(id,
                Shop.newBuilder(model).setShopId(id).setName(id).build())).toList());
        List<Map.Entry<String, StockDelivery>> deliveries = new ArrayList<>();
        for (String shop : shops) {
            boolean scarce = shop.equals(shops.get(0));
            List<IngredientQuantity> items = DemoData.openingDeliveries().get(0).getItems().stream()
                    .map(item -> IngredientQuantity.newBuilder(item).setQuantity(
                            scarce && item.getIngredientId().equals("milk-dairy") ? SCARCE_MILK_ML : 1_000_000_000L).build())
                    .toList();
            deliveries.add(Map.entry("delivery-" + shop, StockDelivery.newBuilder().setDeliveryId("delivery-" + shop)
                    .setShopId(shop).setItems(items).setSupplier("test").setDeliveredAt(Instant.now()).build()));
        }
        send(serdes, Topics.STOCK_DELIVERIES, deliveries);
    }

    private <V extends org.apache.avro.specific.SpecificRecord> void send(AvroSerdes serdes, Topic<V> topic, List<Map.Entry<String, V>> records) throws Exception {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infra.bootstrapServers()), new StringSerializer(), topic.valueSerde(serdes).serializer())) {
            for (Map.Entry<String, V> record : records) {
                producer.send(new ProducerRecord<>(topic.name(), record.getKey(), record.getValue())).get();
            }
        }
    }
}

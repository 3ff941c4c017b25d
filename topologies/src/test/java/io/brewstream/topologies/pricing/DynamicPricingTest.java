package io.brewstream.topologies.pricing;

import static io.brewstream.topologies.reference.DemoData.MITTE;
import static io.brewstream.topologies.support.DriverSupport.order;
import static io.brewstream.topologies.support.DriverSupport.transition;
import static io.brewstream.topologies.support.OrderFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.inventory.StockUnit;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.pricing.PricingSignal;
import io.brewstream.schemas.pricing.PricingSignalKind;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.pricing.PricingSettings.HappyHour;
import io.brewstream.topologies.pricing.PricingSettings.Strategy;
import io.brewstream.topologies.reference.DemoData;
import io.brewstream.topologies.support.DriverSupport;

/** Prices moved by demand, stock, happy hours and the menu, with the clock driven by the test driver. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class DynamicPricingTest {
    private static final Duration TICK = Duration.ofSeconds(30);
    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, OrderEvent> events;
    private TestOutputTopic<String, PriceChange> changes;
    private int orders;

    @TempDir
    Path stateDir;

    DynamicPricingTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    private void start(PricingSettings settings) {
        support = new DriverSupport(new PricingTopology(settings), serdes, stateDir, T0);
        support.seed(Topics.SHOPS, DemoData.shops(), Shop::getShopId);
        support.seed(Topics.MENU_ITEMS, DemoData.menu(), MenuItem::getMenuItemId);
        support.seed(Topics.RECIPES, DemoData.recipes(), Recipe::getMenuItemId);
        events = support.input(Topics.ORDER_EVENTS);
        changes = support.output(Topics.PRICE_CHANGES);
    }

    private static PricingSettings settings(Strategy strategy) {
        return new PricingSettings(strategy, 500, Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(2),
                4.0, 1_000, 3_000, 1_000, 1_000, 500, List.of(), TICK);
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    @Test
    void aDemandSpikeRaisesThePriceByAtMostTheStepAndNeverAboveTheMaximum() {
        start(settings(Strategy.DEMAND));
        menu(latte(380, 300, 410));
        orderLattes(1);
        assertThat(latest().getNewPrice().getAmountMinor()).as("first price: the base").isEqualTo(380);

        orderLattes(40); // a burst: about 160 an hour against a normal 4
        support.driver.advanceWallClockTime(Duration.ofMinutes(5));
        PriceChange first = latest();
        assertThat(first.getNewPrice().getAmountMinor()).as("one step of 5%").isEqualTo(399);
        assertThat(first.getReason()).contains("demand").contains("x normal");
        assertThat(first.getInputs()).containsKeys("demandPerHour", "normalPerHour");

        support.driver.advanceWallClockTime(Duration.ofMinutes(5));
        PriceChange second = latest();
        assertThat(second.getNewPrice().getAmountMinor()).as("418 would pass the maximum").isEqualTo(410);
        assertThat(second.getReason()).contains("held at the maximum price");
        support.driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertThat(changes.readValuesToList()).allMatch(c -> c.getNewPrice().getAmountMinor() <= 410);
    }

    @Test
    void theMinimumIntervalHoldsThePriceStill() {
        start(settings(Strategy.DEMAND));
        orderLattes(1);
        latest();
        orderLattes(40);
        support.driver.advanceWallClockTime(Duration.ofMinutes(4)); // 8 ticks, all inside the 5 minutes

        assertThat(latteChanges()).isEmpty();
    }

    @Test
    void aHappyHourLowersThePriceAtItsStartAndRestoresItAtItsEnd() {
        // T0 is 09:00 in Berlin; happy hour 10:00 to 11:00 at 20 % off
        start(settings(Strategy.FIXED).withHappyHours(List.of(new HappyHour(LocalTime.of(10, 0), LocalTime.of(11, 0), 2_000))));
        orderLattes(1);
        assertThat(latest().getNewPrice().getAmountMinor()).isEqualTo(380);

        support.driver.advanceWallClockTime(Duration.ofMinutes(59));
        assertThat(latteChanges()).isEmpty();
        support.driver.advanceWallClockTime(Duration.ofSeconds(61));
        PriceChange start = latest();
        assertThat(start.getNewPrice().getAmountMinor()).isEqualTo(304);
        assertThat(start.getReason()).contains("happy hour -20%");

        support.driver.advanceWallClockTime(Duration.ofMinutes(60));
        PriceChange end = latest();
        assertThat(end.getNewPrice().getAmountMinor()).isEqualTo(380);
        assertThat(end.getChangedAt()).isBetween(Instant.parse("2026-11-21T10:00:00Z"), Instant.parse("2026-11-21T10:01:00Z"));
    }

    @Test
    void aNewBasePriceFromTheMenuTakesEffect() {
        start(settings(Strategy.FIXED));
        orderLattes(1);
        latest();

        menu(latte(350, 280, 520));
        support.driver.advanceWallClockTime(TICK);

        PriceChange change = latest();
        assertThat(change.getNewPrice().getAmountMinor()).isEqualTo(350);
        assertThat(change.getOldPrice().getAmountMinor()).isEqualTo(380);
        assertThat(change.getReason()).contains("base price now 3.50 EUR");
    }

    @Test
    void scarceStockRaisesThePriceOfTheItemsThatUseIt() {
        start(settings(Strategy.DEMAND_AND_STOCK));
        support.input(Topics.STOCK_LEVELS).pipeInput(Keys.shopIngredient(MITTE, "milk-dairy"), StockLevel.newBuilder()
                .setShopId(MITTE).setIngredientId("milk-dairy").setUnit(StockUnit.MILLILITRE).setOnHand(1_500)
                .setReserved(0).setLowStockThreshold(2_000).setUpdatedAt(T0).build());

        PriceChange latte = latteChanges().get(0);
        assertThat(latte.getNewPrice().getAmountMinor()).isEqualTo(418);
        assertThat(latte.getReason()).contains("milk-dairy below its low-stock level");
        assertThat(latte.getInputs()).containsEntry("stockPercent", "75");
    }

    @Test
    void aStockChangeThatCannotMoveAPriceSignalsNothing() {
        start(settings(Strategy.DEMAND_AND_STOCK));
        TestInputTopic<String, StockLevel> levels = support.input(Topics.STOCK_LEVELS);
        levels.pipeInput(Keys.shopIngredient(MITTE, "milk-dairy"), milk(1_500));
        List<PricingSignal> first = stockSignals();
        assertThat(first).isNotEmpty().allSatisfy(signal -> assertThat(signal.getStockPercent()).isEqualTo(75));

        levels.pipeInput(Keys.shopIngredient(MITTE, "milk-dairy"), milk(1_510));
        assertThat(stockSignals()).isEmpty();

        levels.pipeInput(Keys.shopIngredient(MITTE, "milk-dairy"), milk(1_400));
        assertThat(stockSignals()).hasSameSizeAs(first).allSatisfy(signal -> assertThat(signal.getStockPercent()).isEqualTo(70));

        levels.pipeInput(Keys.shopIngredient(MITTE, "milk-dairy"), milk(30_000));
        assertThat(stockSignals()).as("above the surplus level (1000 %)").hasSameSizeAs(first);
        levels.pipeInput(Keys.shopIngredient(MITTE, "milk-dairy"), milk(29_000));
        assertThat(stockSignals()).as("still above the surplus level: pricing cannot tell the difference").isEmpty();
    }

    private static StockLevel milk(long onHand) {
        return StockLevel.newBuilder().setShopId(MITTE).setIngredientId("milk-dairy").setUnit(StockUnit.MILLILITRE)
                .setOnHand(onHand).setReserved(0).setLowStockThreshold(2_000).setUpdatedAt(T0).build();
    }

    /** The STOCK signals on their way to re-pricing since the last call (read from the repartition topic). */
    private List<PricingSignal> stockSignals() {
        String repartition = support.driver.producedTopicNames().stream()
                .filter(name -> name.endsWith("pricing-signals-repartition")).findFirst().orElse(null);
        if (repartition == null) {
            return List.of();
        }
        return support.driver.createOutputTopic(repartition, Serdes.String().deserializer(),
                        serdes.valueSerde(PricingSignal.class).deserializer())
                .readValuesToList().stream().filter(signal -> signal.getKind() == PricingSignalKind.STOCK).toList();
    }

    @Test
    void everyChangeIsKeptInTheHistory() {
        start(settings(Strategy.FIXED).withHappyHours(List.of(new HappyHour(LocalTime.of(10, 0), LocalTime.of(11, 0), 2_000))));
        orderLattes(1);
        support.driver.advanceWallClockTime(Duration.ofMinutes(61));

        WindowStore<String, PriceChange> history = support.driver.getWindowStore(PricingStores.PRICE_HISTORY);
        List<Long> prices = new java.util.ArrayList<>();
        try (var it = history.fetch(Keys.shopItem(MITTE, "latte"), T0, T0.plus(Duration.ofHours(2)))) {
            it.forEachRemaining(kv -> prices.add(kv.value.getNewPrice().getAmountMinor()));
        }
        assertThat(prices).containsExactly(380L, 304L);
    }

    private void orderLattes(int count) {
        for (int i = 0; i < count; i++) {
            Order order = order("o-" + (++orders), MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of());
            events.pipeInput(order.getOrderId(), transition(order, null));
        }
    }

    private void menu(MenuItem item) {
        support.input(Topics.MENU_ITEMS).pipeInput(item.getMenuItemId(), item);
    }

    private static MenuItem latte(long base, long min, long max) {
        MenuItem latte = DemoData.menu().stream().filter(m -> m.getMenuItemId().equals("latte")).findFirst().orElseThrow();
        return MenuItem.newBuilder(latte).setBasePrice(Amounts.of(base, "EUR")).setMinPrice(Amounts.of(min, "EUR"))
                .setMaxPrice(Amounts.of(max, "EUR")).build();
    }

    private List<PriceChange> latteChanges() {
        return changes.readValuesToList().stream()
                .filter(c -> c.getShopId().equals(MITTE) && c.getMenuItemId().equals("latte")).toList();
    }

    private PriceChange latest() {
        List<PriceChange> latte = latteChanges();
        assertThat(latte).as("a latte price change").isNotEmpty();
        return latte.get(latte.size() - 1);
    }
}

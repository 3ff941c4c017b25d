package io.brewstream.topologies.pricing;

import static io.brewstream.topologies.reference.DemoData.MITTE;
import static io.brewstream.topologies.support.DriverSupport.order;
import static io.brewstream.topologies.support.DriverSupport.transition;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.DemoData;
import io.brewstream.topologies.support.DriverSupport;
import io.brewstream.topologies.support.OrderFixtures;

/** Server-side pricing of placed orders from the menu and the current price table. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class PricingTopologyTest {
    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, OrderEvent> events;
    private TestOutputTopic<String, ValidationResult> results;

    @TempDir
    Path stateDir;

    PricingTopologyTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @BeforeEach
    void setUp() {
        support = new DriverSupport(new PricingTopology(PricingSettings.defaults()), serdes, stateDir, OrderFixtures.T0);
        support.seed(Topics.SHOPS, DemoData.shops(), Shop::getShopId);
        support.seed(Topics.MENU_ITEMS, DemoData.menu(), MenuItem::getMenuItemId);
        events = support.input(Topics.ORDER_EVENTS);
        results = support.output(Topics.ORDER_VALIDATIONS);
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    @Test
    void aLargeOatLatteIsPricedFromTheMenuWithSizeAndOption() {
        place(order("o-1", MITTE, OrderStatus.PLACED, "latte", 2, ItemSize.LARGE, List.of("oat")));

        ValidationResult result = results.readValue();
        assertThat(result.getCheck()).isEqualTo(CheckType.PRICING);
        assertThat(result.getPassed()).isTrue();
        // 3.80 base + 0.60 large + 0.50 oat = 4.90, twice
        assertThat(result.getPricedLines().get(0).getUnitPrice()).isEqualTo(Amounts.of(490, "EUR"));
        assertThat(result.getTotal()).isEqualTo(Amounts.of(980, "EUR"));
    }

    @Test
    void aPriceChangeTakesPrecedenceOverTheBasePrice() {
        currentLattePrice(400, 380, 10_526);
        place(order("o-1", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of()));

        assertThat(results.readValue().getTotal()).isEqualTo(Amounts.of(400, "EUR"));
    }

    @Test
    void aNewBasePriceFromTheMenuTopicPricesTheNextOrder() {
        newLatteBasePrice(350);
        place(order("o-1", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of()));

        assertThat(results.readValue().getTotal()).isEqualTo(Amounts.of(350, "EUR"));
    }

    @Test
    void aNewBasePriceCountsAtOnceEvenWhileADynamicPriceFromTheOldBaseIsCurrent() {
        currentLattePrice(418, 380, 11_000);
        newLatteBasePrice(400);
        place(order("o-1", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of()));

        assertThat(results.readValue().getTotal()).as("the same +10% on the new base").isEqualTo(Amounts.of(440, "EUR"));
    }

    @Test
    void unknownItemsSizesOptionsAndShopsFailWithTheirReason() {
        place(order("o-1", MITTE, OrderStatus.PLACED, "unicorn-frappe", 1, ItemSize.MEDIUM, List.of()));
        place(order("o-2", MITTE, OrderStatus.PLACED, "flat-white", 1, ItemSize.LARGE, List.of()));
        place(order("o-3", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of("gold-flakes")));
        place(order("o-4", "atlantis", OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of()));

        assertThat(results.readValuesToList()).extracting(r -> r.getReasons().get(0)).containsExactly(
                "unknown menu item unicorn-frappe",
                "Flat White does not come in LARGE",
                "Caffè Latte has no option gold-flakes",
                "unknown shop atlantis");
    }

    @Test
    void onlyNewlyPlacedOrdersArePriced() {
        Order validated = order("o-1", MITTE, OrderStatus.VALIDATED, "latte", 1, ItemSize.MEDIUM, List.of());
        events.pipeInput("o-1", transition(validated, OrderStatus.PLACED));

        assertThat(results.isEmpty()).isTrue();
    }

    private void currentLattePrice(long newPrice, long basePrice, int multiplierBasisPoints) {
        support.input(Topics.PRICE_CHANGES).pipeInput(Keys.shopItem(MITTE, "latte"), PriceChange.newBuilder()
                .setShopId(MITTE).setMenuItemId("latte").setNewPrice(Amounts.of(newPrice, "EUR"))
                .setBasePrice(Amounts.of(basePrice, "EUR")).setMultiplierBasisPoints(multiplierBasisPoints)
                .setStrategy("demand").setReason("busy").setChangedAt(OrderFixtures.T0).build());
    }

    private void newLatteBasePrice(long basePrice) {
        MenuItem latte = DemoData.menu().stream().filter(m -> m.getMenuItemId().equals("latte")).findFirst().orElseThrow();
        support.input(Topics.MENU_ITEMS).pipeInput("latte", MenuItem.newBuilder(latte).setBasePrice(Amounts.of(basePrice, "EUR")).build());
    }

    private void place(Order order) {
        events.pipeInput(order.getOrderId(), transition(order, null));
    }
}

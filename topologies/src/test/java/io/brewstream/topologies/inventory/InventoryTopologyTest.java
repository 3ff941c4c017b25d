package io.brewstream.topologies.inventory;

import static io.brewstream.topologies.reference.DemoData.KREUZBERG;
import static io.brewstream.topologies.reference.DemoData.MITTE;
import static io.brewstream.topologies.reference.DemoData.PRENZLAUER_BERG;
import static io.brewstream.topologies.reference.DemoData.g;
import static io.brewstream.topologies.reference.DemoData.ml;
import static io.brewstream.topologies.support.DriverSupport.order;
import static io.brewstream.topologies.support.DriverSupport.transition;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.LowStock;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.ReservationStatus;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.DemoData;
import io.brewstream.topologies.support.DriverSupport;
import io.brewstream.topologies.support.OrderFixtures;

/** Stock per shop: reservations all or nothing, release, consumption, deliveries, low stock, the nearest shop. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class InventoryTopologyTest {
    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, OrderEvent> events;
    private TestInputTopic<String, StockDelivery> deliveries;
    private TestOutputTopic<String, ValidationResult> results;
    private TestOutputTopic<String, LowStock> lowStock;
    private KeyValueStore<String, StockLevel> stock;

    @TempDir
    Path stateDir;

    InventoryTopologyTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @BeforeEach
    void setUp() {
        support = new DriverSupport(new InventoryTopology(InventorySettings.defaults()), serdes, stateDir, OrderFixtures.T0);
        support.seed(Topics.SHOPS, DemoData.shops(), Shop::getShopId);
        support.seed(Topics.RECIPES, DemoData.recipes(), Recipe::getMenuItemId);
        events = support.input(Topics.ORDER_EVENTS);
        deliveries = support.input(Topics.STOCK_DELIVERIES);
        results = support.output(Topics.ORDER_VALIDATIONS);
        lowStock = support.output(Topics.LOW_STOCK);
        stock = support.driver.getKeyValueStore(InventoryStores.STOCK);
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    @Test
    void aDeliveryAddsStockOnceEvenIfDeliveredTwice() {
        StockDelivery delivery = delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 5000));
        deliveries.pipeInput("d-1", delivery);
        deliveries.pipeInput("d-1", delivery);

        assertThat(level(MITTE, "espresso-beans").getOnHand()).isEqualTo(1000);
        assertThat(level(MITTE, "milk-dairy").getOnHand()).isEqualTo(5000);
    }

    @Test
    void deliveryIdsAreForgottenAfterTheirRetention() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000)));
        KeyValueStore<String, Long> seen = support.driver.getKeyValueStore(InventoryStores.DELIVERIES_SEEN);
        assertThat(seen.get("d-1")).isNotNull();

        support.driver.advanceWallClockTime(StockKeeper.DELIVERY_ID_RETENTION.plusHours(2));

        assertThat(seen.get("d-1")).isNull();
        assertThat(level(MITTE, "espresso-beans").getOnHand()).as("the stock stays").isEqualTo(1000);
    }

    @Test
    void aLargeOatLatteReservesScaledBeansAndOatMilkNotDairy() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 5000), ml("milk-oat", 5000)));
        place(order("o-1", MITTE, OrderStatus.PLACED, "latte", 2, ItemSize.LARGE, List.of("oat", "extra-shot")));

        ValidationResult result = results.readValue();
        assertThat(result.getPassed()).isTrue();
        // per large latte: 18 g * 150% = 27 g beans + 18 g extra shot, 200 ml * 150% = 300 ml oat milk; two of them
        assertThat(level(MITTE, "espresso-beans").getReserved()).isEqualTo(90);
        assertThat(level(MITTE, "milk-oat").getReserved()).isEqualTo(600);
        assertThat(level(MITTE, "milk-dairy").getReserved()).isZero();
        assertThat(reservation("o-1").getStatus()).isEqualTo(ReservationStatus.HELD);
    }

    @Test
    void aReservationIsAllOrNothingAndNamesTheNearestShopThatCanServe() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-oat", 100)));
        deliveries.pipeInput("d-2", delivery("d-2", PRENZLAUER_BERG, g("espresso-beans", 1000), ml("milk-oat", 1000)));
        deliveries.pipeInput("d-3", delivery("d-3", KREUZBERG, g("espresso-beans", 1000), ml("milk-oat", 1000)));
        place(order("o-1", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of("oat")));

        ValidationResult result = results.readValue();
        assertThat(result.getPassed()).isFalse();
        assertThat(result.getReasons()).contains("not enough milk-oat: need 200 ml, 100 available");
        // Prenzlauer Berg is about 1.1 km from Mitte, Kreuzberg about 3 km
        assertThat(result.getSuggestedShopId()).isEqualTo(PRENZLAUER_BERG);
        assertThat(level(MITTE, "espresso-beans").getReserved()).as("nothing held").isZero();
        assertThat(reservation("o-1").getStatus()).isEqualTo(ReservationStatus.REFUSED);
    }

    @Test
    void twoOrdersForTheLastUnitExactlyOneIsValidated() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 200)));
        place(order("o-1", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of()));
        place(order("o-2", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of()));

        List<ValidationResult> all = results.readValuesToList();
        assertThat(all).extracting(ValidationResult::getPassed).containsExactly(true, false);
        assertThat(level(MITTE, "milk-dairy").getReserved()).isEqualTo(200);
    }

    @Test
    void cancellingReleasesAndPickupConsumes() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 5000)));
        Order first = order("o-1", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of());
        Order second = order("o-2", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of());
        place(first);
        place(second);
        assertThat(level(MITTE, "milk-dairy").getReserved()).isEqualTo(400);

        events.pipeInput("o-1", transition(Order.newBuilder(first).setStatus(OrderStatus.CANCELLED).build(), OrderStatus.PLACED));
        events.pipeInput("o-2", transition(Order.newBuilder(second).setStatus(OrderStatus.PICKED_UP).build(), OrderStatus.READY));

        StockLevel milk = level(MITTE, "milk-dairy");
        assertThat(milk.getReserved()).isZero();
        assertThat(milk.getOnHand()).isEqualTo(4800);
        assertThat(reservation("o-1").getStatus()).isEqualTo(ReservationStatus.RELEASED);
        assertThat(reservation("o-2").getStatus()).isEqualTo(ReservationStatus.CONSUMED);
    }

    @Test
    void rejectedAndExpiredOrdersReleaseTheirStockToo() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 5000)));
        for (OrderStatus end : List.of(OrderStatus.REJECTED, OrderStatus.EXPIRED)) {
            Order o = order("o-" + end, MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of());
            place(o);
            events.pipeInput(o.getOrderId(), transition(Order.newBuilder(o).setStatus(end).build(), OrderStatus.PLACED));
        }
        assertThat(level(MITTE, "milk-dairy").getReserved()).isZero();
    }

    @Test
    void fallingBelowTheThresholdRaisesOneLowStockEvent() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 2300)));
        place(order("o-1", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.LARGE, List.of()));  // 300 ml: 2000 left
        assertThat(lowStock.isEmpty()).isTrue();
        place(order("o-2", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.SMALL, List.of()));  // 150 ml: below 2000
        place(order("o-3", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.SMALL, List.of()));

        assertThat(lowStock.readValuesToList()).singleElement().satisfies(low -> {
            assertThat(low.getIngredientId()).isEqualTo("milk-dairy");
            assertThat(low.getAvailable()).isEqualTo(1850);
            assertThat(low.getThreshold()).isEqualTo(2000);
        });
    }

    @Test
    void anItemWithoutARecipeCannotBeReserved() {
        place(order("o-1", MITTE, OrderStatus.PLACED, "unicorn-frappe", 1, ItemSize.MEDIUM, List.of()));

        assertThat(results.readValue().getReasons()).containsExactly("no recipe for unicorn-frappe");
    }

    private void place(Order order) {
        events.pipeInput(order.getOrderId(), transition(order, null));
    }

    private StockLevel level(String shop, String ingredient) {
        return stock.get(Keys.shopIngredient(shop, ingredient));
    }

    private io.brewstream.schemas.inventory.StockReservation reservation(String orderId) {
        KeyValueStore<String, io.brewstream.schemas.inventory.StockReservation> reservations =
                support.driver.getKeyValueStore(InventoryStores.RESERVATIONS);
        return reservations.get(orderId);
    }

    private static StockDelivery delivery(String id, String shop, IngredientQuantity... items) {
        return StockDelivery.newBuilder().setDeliveryId(id).setShopId(shop).setItems(List.of(items))
                .setDeliveredAt(OrderFixtures.T0).build();
    }
}

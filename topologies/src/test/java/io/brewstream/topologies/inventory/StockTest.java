package io.brewstream.topologies.inventory;

import static io.brewstream.topologies.reference.DemoData.KREUZBERG;
import static io.brewstream.topologies.reference.DemoData.MITTE;
import static io.brewstream.topologies.reference.DemoData.PRENZLAUER_BERG;
import static io.brewstream.topologies.reference.DemoData.g;
import static io.brewstream.topologies.reference.DemoData.ml;
import static io.brewstream.topologies.support.OrderFixtures.id;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
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
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.orders.OrderStores;
import io.brewstream.topologies.orders.OrdersSettings;
import io.brewstream.topologies.orders.OrdersTopology;
import io.brewstream.topologies.reference.DemoData;
import io.brewstream.topologies.support.DriverSupport;
import io.brewstream.topologies.support.OrderFixtures;

/**
 * Stock per shop, kept in the orders task of the shop's partition: reservations all or nothing in the step that
 * places an order, release, consumption, deliveries, low stock, the nearest shop that can serve.
 */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class StockTest {
    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, OrderCommand> commands;
    private TestInputTopic<String, StockDelivery> deliveries;
    private TestOutputTopic<String, LowStock> lowStock;
    private KeyValueStore<String, StockLevel> stock;
    private KeyValueStore<String, Order> orders;

    @TempDir
    Path stateDir;

    StockTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @BeforeEach
    void setUp() {
        start(List.of(CheckType.PRICING, CheckType.INVENTORY)); // validated as they are placed, if stock allows
    }

    /** The orders topology with these required checks, the demo's shops, menu and recipes. */
    private void start(List<CheckType> requiredChecks) {
        if (support != null) {
            support.close();
        }
        support = new DriverSupport(new OrdersTopology(OrdersSettings.defaults().withRequiredChecks(requiredChecks),
                InventorySettings.defaults(), null), serdes, stateDir, OrderFixtures.T0);
        support.seed(Topics.SHOPS, DemoData.shops(), Shop::getShopId);
        support.seed(Topics.MENU_ITEMS, DemoData.menu(), MenuItem::getMenuItemId);
        support.seed(Topics.RECIPES, DemoData.recipes(), Recipe::getMenuItemId);
        commands = support.input(Topics.ORDER_COMMANDS);
        deliveries = support.input(Topics.STOCK_DELIVERIES);
        lowStock = support.output(Topics.LOW_STOCK);
        stock = support.driver.getKeyValueStore(InventoryStores.STOCK);
        orders = support.driver.getKeyValueStore(OrderStores.ORDERS);
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
    void deliveryIdsAreForgottenOnceStreamTimeIsPastTheirRetentionWithoutAScan() {
        Instant delivered = Instant.parse("2026-11-01T08:00:00Z");
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000)), delivered);
        WindowStore<String, Long> seen = support.driver.getWindowStore(InventoryStores.DELIVERIES_SEEN);
        assertThat(seenIds(seen)).containsExactly("d-1");

        // the same delivery again within its retention: remembered, not added twice
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000)),
                delivered.plus(StockKeeper.DELIVERY_ID_RETENTION).minusSeconds(3_600));
        assertThat(level(MITTE, "espresso-beans").getOnHand()).isEqualTo(1000);

        // a delivery a retention and a half later moves stream time past d-1's segment, which is dropped whole
        deliveries.pipeInput("d-2", delivery("d-2", MITTE, g("espresso-beans", 500)),
                delivered.plus(StockKeeper.DELIVERY_ID_RETENTION.multipliedBy(3).dividedBy(2)).plusSeconds(1));
        assertThat(seenIds(seen)).containsExactly("d-2");
        assertThat(level(MITTE, "espresso-beans").getOnHand()).as("the stock stays").isEqualTo(1500);
    }

    private static List<String> seenIds(WindowStore<String, Long> seen) {
        List<String> ids = new java.util.ArrayList<>();
        try (var it = seen.all()) {
            it.forEachRemaining(kv -> ids.add(kv.key.key()));
        }
        return ids;
    }

    @Test
    void aLargeOatLatteReservesScaledBeansAndOatMilkNotDairy() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 5000), ml("milk-oat", 5000)));
        place(id("o-1"), MITTE, "latte", 2, ItemSize.LARGE, List.of("oat", "extra-shot"));

        assertThat(orders.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.VALIDATED);
        // per large latte: 18 g * 150% = 27 g beans + 18 g extra shot, 200 ml * 150% = 300 ml oat milk; two of them
        assertThat(level(MITTE, "espresso-beans").getReserved()).isEqualTo(90);
        assertThat(level(MITTE, "milk-oat").getReserved()).isEqualTo(600);
        assertThat(level(MITTE, "milk-dairy").getReserved()).isZero();
        assertThat(reservation(id("o-1")).getStatus()).isEqualTo(ReservationStatus.HELD);
    }

    @Test
    void aReservationIsAllOrNothingAndNamesTheNearestShopThatCanServe() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-oat", 100)));
        deliveries.pipeInput("d-2", delivery("d-2", PRENZLAUER_BERG, g("espresso-beans", 1000), ml("milk-oat", 1000)));
        deliveries.pipeInput("d-3", delivery("d-3", KREUZBERG, g("espresso-beans", 1000), ml("milk-oat", 1000)));
        place(id("o-1"), MITTE, "latte", 1, ItemSize.MEDIUM, List.of("oat"));

        Order rejected = orders.get(id("o-1"));
        assertThat(rejected.getStatus()).as("rejected in the step that placed it").isEqualTo(OrderStatus.REJECTED);
        assertThat(rejected.getReasons()).contains("inventory: not enough milk-oat: need 200 ml, 100 available");
        // Prenzlauer Berg is about 1.1 km from Mitte, Kreuzberg about 3 km
        assertThat(rejected.getSuggestedShopId()).isEqualTo(PRENZLAUER_BERG);
        assertThat(level(MITTE, "espresso-beans").getReserved()).as("nothing held").isZero();
        assertThat(reservation(id("o-1"))).as("nothing kept").isNull();
    }

    @Test
    void twoOrdersForTheLastUnitExactlyOneIsValidated() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 200)));
        place(id("o-1"), MITTE, "latte", 1, ItemSize.MEDIUM, List.of());
        place(id("o-2"), MITTE, "latte", 1, ItemSize.MEDIUM, List.of());

        assertThat(orders.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.VALIDATED);
        assertThat(orders.get(id("o-2")).getStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(level(MITTE, "milk-dairy").getReserved()).isEqualTo(200);
    }

    @Test
    void cancellingReleasesAndPickupConsumes() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 5000)));
        place(id("o-1"), MITTE, "latte", 1, ItemSize.MEDIUM, List.of());
        place(id("o-2"), MITTE, "latte", 1, ItemSize.MEDIUM, List.of());
        assertThat(level(MITTE, "milk-dairy").getReserved()).isEqualTo(400);
        assertThat(reservation(id("o-1")).getStatus()).isEqualTo(ReservationStatus.HELD);

        commands.pipeInput(id("o-1"), OrderFixtures.cancel(id("o-1")));
        commands.pipeInput(id("o-2"), OrderFixtures.start(id("o-2")));
        commands.pipeInput(id("o-2"), OrderFixtures.ready(id("o-2")));
        commands.pipeInput(id("o-2"), OrderFixtures.claim(id("o-2"), orders.get(id("o-2")).getPickupCode()));
        assertThat(orders.get(id("o-2")).getStatus()).isEqualTo(OrderStatus.PICKED_UP);

        StockLevel milk = level(MITTE, "milk-dairy");
        assertThat(milk.getReserved()).isZero();
        assertThat(milk.getOnHand()).as("the picked-up latte's 200 ml consumed").isEqualTo(4800);
        assertThat(reservation(id("o-1"))).as("settled reservations are not kept").isNull();
        assertThat(reservation(id("o-2"))).isNull();
    }

    @Test
    void rejectedAndExpiredOrdersReleaseTheirStockToo() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 5000)));
        start(List.of(CheckType.PRICING, CheckType.INVENTORY, CheckType.FRAUD)); // one rejected by it, one expiring
        deliveries.pipeInput("d-1",
                delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 5000)));
        place(id("o-rejected"), MITTE, "latte", 1, ItemSize.MEDIUM, List.of());
        place(id("o-expired"), MITTE, "latte", 1, ItemSize.MEDIUM, List.of());
        assertThat(level(MITTE, "milk-dairy").getReserved()).isEqualTo(400);

        support.input(Topics.ORDER_VALIDATIONS).pipeInput(id("o-rejected"), OrderFixtures.failed(id("o-rejected"), CheckType.FRAUD, "no"));
        assertThat(level(MITTE, "milk-dairy").getReserved()).isEqualTo(200);
        support.driver.advanceWallClockTime(OrdersSettings.defaults().validationTimeout().plusSeconds(2));
        assertThat(level(MITTE, "milk-dairy").getReserved()).isZero();
    }

    @Test
    void fallingBelowTheThresholdRaisesOneLowStockEvent() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 2300)));
        place(id("o-1"), MITTE, "latte", 1, ItemSize.LARGE, List.of());  // 300 ml: 2000 left
        assertThat(lowStock.isEmpty()).isTrue();
        place(id("o-2"), MITTE, "latte", 1, ItemSize.SMALL, List.of());  // 150 ml: below 2000
        place(id("o-3"), MITTE, "latte", 1, ItemSize.SMALL, List.of());

        assertThat(lowStock.readValuesToList()).singleElement().satisfies(low -> {
            assertThat(low.getIngredientId()).isEqualTo("milk-dairy");
            assertThat(low.getAvailable()).isEqualTo(1850);
            assertThat(low.getThreshold()).isEqualTo(2000);
        });
    }

    @Test
    void anItemWithoutARecipeCannotBeReserved() {
        MenuItem unicorn = MenuItem.newBuilder(DemoData.menu().get(0)).setMenuItemId("unicorn-frappe")
                .setName("Unicorn Frappé").setSizes(List.of()).build();
        support.input(Topics.MENU_ITEMS).pipeInput("unicorn-frappe", unicorn); // on the menu, without a recipe
        place(id("o-1"), MITTE, "unicorn-frappe", 1, ItemSize.MEDIUM, List.of());

        assertThat(orders.get(id("o-1")).getReasons()).containsExactly("inventory: no recipe for unicorn-frappe");
    }

    @Test
    void anOrderWhoseIdDoesNotNameItsShopReservesNothing() {
        deliveries.pipeInput("d-1", delivery("d-1", MITTE, g("espresso-beans", 1000), ml("milk-dairy", 5000)));
        place("o-1", MITTE, "latte", 1, ItemSize.MEDIUM, List.of()); // not an id the ingress makes

        assertThat(orders.get("o-1").getStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(orders.get("o-1").getReasons()).singleElement().asString()
                .startsWith("inventory: order id o-1 does not name shop berlin-mitte");
        assertThat(level(MITTE, "milk-dairy").getReserved()).isZero();
    }

    private void place(String orderId, String shopId, String menuItemId, int quantity, ItemSize size, List<String> options) {
        commands.pipeInput(orderId, OrderCommand.newBuilder(OrderFixtures.place(orderId, "fp-" + orderId))
                .setCommand(PlaceOrder.newBuilder((PlaceOrder) OrderFixtures.place(orderId, "fp-" + orderId).getCommand())
                        .setShopId(shopId).setLines(List.of(OrderLine.newBuilder().setMenuItemId(menuItemId)
                                .setQuantity(quantity).setSize(size).setOptions(options).build())).build())
                .setIssuedAt(OrderFixtures.T0).build());
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

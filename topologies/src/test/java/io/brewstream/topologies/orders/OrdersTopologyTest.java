package io.brewstream.topologies.orders;

import static io.brewstream.topologies.support.OrderFixtures.T0;
import static io.brewstream.topologies.support.OrderFixtures.cancel;
import static io.brewstream.topologies.support.OrderFixtures.cardPayment;
import static io.brewstream.topologies.support.OrderFixtures.claim;
import static io.brewstream.topologies.support.OrderFixtures.failed;
import static io.brewstream.topologies.support.OrderFixtures.id;
import static io.brewstream.topologies.support.OrderFixtures.passed;
import static io.brewstream.topologies.support.OrderFixtures.payment;
import static io.brewstream.topologies.support.OrderFixtures.place;
import static io.brewstream.topologies.support.OrderFixtures.ready;
import static io.brewstream.topologies.support.OrderFixtures.revert;
import static io.brewstream.topologies.support.OrderFixtures.start;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.payments.Refund;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.DemoData;
import io.brewstream.topologies.support.DriverSupport;

/** The order life cycle on the TopologyTestDriver, with serdes going through the real schema registry. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class OrdersTopologyTest {
    private static final Duration VALIDATION_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(30);

    private final AvroSerdes serdes;
    private DriverSupport support;
    private TopologyTestDriver driver;
    private TestInputTopic<String, OrderCommand> commands;
    private TestInputTopic<String, ValidationResult> validations;
    private TestInputTopic<String, PaymentReceived> payments;
    private TestOutputTopic<String, OrderEvent> events;
    private TestOutputTopic<String, Refund> refunds;
    private KeyValueStore<String, Order> store;
    private KeyValueStore<String, Order> openByShop;

    /** With 0.60 for large and 0.50 for oat (the demo menu), a large oat latte costs 4.20. */
    private static final long LATTE_BASE_PRICE = 310;

    @TempDir
    Path stateDir;

    OrdersTopologyTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @BeforeEach
    void setUp() {
        startDriver(OrdersSettings.defaults().withTimeouts(VALIDATION_TIMEOUT, CLAIM_TIMEOUT));
        assertThat(OrdersSettings.defaults().requiredChecks())
                .containsExactly(CheckType.PRICING, CheckType.INVENTORY, CheckType.FRAUD, CheckType.PAYMENT);
    }

    private void startDriver(OrdersSettings settings) {
        if (support != null) {
            support.close();
        }
        support = new DriverSupport(new OrdersTopology(settings), serdes, stateDir, T0);
        driver = support.driver;
        commands = support.input(Topics.ORDER_COMMANDS);
        validations = support.input(Topics.ORDER_VALIDATIONS);
        payments = support.input(Topics.PAYMENTS);
        events = support.output(Topics.ORDER_EVENTS);
        refunds = support.output(Topics.REFUNDS);
        store = driver.getKeyValueStore(OrderStores.ORDERS);
        openByShop = driver.getKeyValueStore(OrderStores.OPEN_ORDERS_BY_SHOP);
        // new orders are priced and their stock reserved in the step that places them: the shops, a latte whose
        // large oat cup is 4.20, its recipe and plenty of stock
        support.seed(Topics.SHOPS, DemoData.shops(), Shop::getShopId);
        support.seed(Topics.RECIPES, DemoData.recipes(), Recipe::getMenuItemId);
        support.input(Topics.STOCK_DELIVERIES).pipeInput("d-1", StockDelivery.newBuilder().setDeliveryId("d-1")
                .setShopId("berlin-mitte").setItems(List.of(DemoData.g("espresso-beans", 100_000),
                        DemoData.ml("milk-oat", 100_000), DemoData.ml("milk-dairy", 100_000)))
                .setDeliveredAt(T0).build());
        support.seed(Topics.MENU_ITEMS, DemoData.menu().stream().map(item -> item.getMenuItemId().equals("latte")
                ? MenuItem.newBuilder(item).setBasePrice(Amounts.of(LATTE_BASE_PRICE, "EUR")).build() : item).toList(),
                MenuItem::getMenuItemId);
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    // ---- placing

    @Test
    void placeOrderCreatesAPlacedOrderAwaitingItsChecks() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));

        Order order = store.get(id("o-1"));
        assertThat(order.getStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(order.getVersion()).isEqualTo(1L);
        assertThat(order.getPendingChecks()).as("priced as it was placed")
                .containsExactly(CheckType.FRAUD, CheckType.PAYMENT);
        assertThat(order.getExpiresAt()).isEqualTo(T0.plus(VALIDATION_TIMEOUT));
        assertThat(order.getLines()).singleElement().satisfies(l ->
                assertThat(l.getUnitPrice()).as("priced from the menu, never by the client").isEqualTo(Amounts.of(420, "EUR")));
        assertThat(order.getTotal()).isEqualTo(Amounts.of(840, "EUR"));
        OrderEvent event = events.readValue();
        assertThat(event.getFromStatus()).isNull();
        assertThat(event.getToStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(event.getOrder()).as("the event carries the order as it now is").isEqualTo(order);
        assertThat(openByShop.get(OrderStores.shopKey("berlin-mitte", id("o-1")))).isEqualTo(order);
    }

    @Test
    void theSameRequestTwiceMakesOneOrder() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));

        assertThat(events.readValuesToList()).hasSize(1);
        assertThat(store.get(id("o-1")).getVersion()).isEqualTo(1L);
    }

    @Test
    void aReusedIdempotencyKeyWithAnotherRequestIsRefused() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-2"));

        OrderEvent refused = events.readValuesToList().get(1);
        assertThat(refused.getAccepted()).isFalse();
        assertThat(refused.getKind()).isEqualTo(OrderEventKind.REFUSED);
        assertThat(refused.getReasons()).singleElement().asString().contains("already used for a different order");
        assertThat(store.get(id("o-1")).getRequestFingerprint()).isEqualTo("fp-1");
    }

    @Test
    void withNoRequiredChecksAnOrderIsValidatedAsPlaced() {
        startDriver(OrdersSettings.defaults().withRequiredChecks(List.of()));
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));

        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.VALIDATED);
        assertThat(events.readValue().getToStatus()).isEqualTo(OrderStatus.VALIDATED);
    }

    // ---- validation

    @Test
    void anOrderIsValidatedOnceEveryRequiredCheckPassedAndThePaymentCoversTheTotal() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        validations.pipeInput(id("o-1"), passed(id("o-1"), CheckType.FRAUD));
        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(store.get(id("o-1")).getPendingChecks()).containsExactly(CheckType.PAYMENT);
        assertThat(store.get(id("o-1")).getTotal().getAmountMinor()).isEqualTo(840);

        payments.pipeInput(id("o-1"), payment(id("o-1"), "pay-1", 500));
        assertThat(store.get(id("o-1")).getStatus()).as("500 of 840 paid").isEqualTo(OrderStatus.PLACED);
        payments.pipeInput(id("o-1"), payment(id("o-1"), "pay-2", 340));

        Order validated = store.get(id("o-1"));
        assertThat(validated.getStatus()).isEqualTo(OrderStatus.VALIDATED);
        assertThat(validated.getAmountPaid().getAmountMinor()).isEqualTo(840);
        assertThat(validated.getLines().get(0).getUnitPrice().getAmountMinor()).isEqualTo(420);
        assertThat(validated.getExpiresAt()).isNull();
        assertThat(events.readValuesToList()).extracting(OrderEvent::getKind).containsExactly(
                OrderEventKind.TRANSITION, OrderEventKind.CHECK, OrderEventKind.PAYMENT, OrderEventKind.TRANSITION);
    }

    @Test
    void aPaymentBeforeTheLastCheckCountsOnceItPasses() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        payments.pipeInput(id("o-1"), payment(id("o-1"), "pay-1", 840));
        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.PLACED);
        validations.pipeInput(id("o-1"), passed(id("o-1"), CheckType.FRAUD));

        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.VALIDATED);
    }

    @Test
    void aNewOrderIsPricedFromTheShopsCurrentPrice() {
        support.input(Topics.PRICE_CHANGES).pipeInput(Keys.shopItem("berlin-mitte", "latte"), PriceChange.newBuilder()
                .setShopId("berlin-mitte").setMenuItemId("latte").setNewPrice(Amounts.of(341, "EUR"))
                .setBasePrice(Amounts.of(LATTE_BASE_PRICE, "EUR")).setMultiplierBasisPoints(11_000)
                .setStrategy("demand").setReason("busy").setChangedAt(T0).build());
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));

        assertThat(store.get(id("o-1")).getTotal()).as("2 x (3.41 + 0.60 + 0.50)").isEqualTo(Amounts.of(902, "EUR"));
    }

    @Test
    void anOrderThatCannotBePricedIsRejectedAsItIsPlaced() {
        commands.pipeInput(id("o-1"), OrderCommand.newBuilder(place(id("o-1"), "fp-1")).setCommand(PlaceOrder.newBuilder(
                (PlaceOrder) place(id("o-1"), "fp-1").getCommand()).setLines(List.of(OrderLine.newBuilder()
                        .setMenuItemId("unicorn-frappe").setQuantity(1).setSize(ItemSize.MEDIUM).setOptions(List.of())
                        .build())).build()).build());

        OrderEvent event = events.readValue();
        assertThat(event.getFromStatus()).isNull();
        assertThat(event.getToStatus()).as("one event: placed and rejected in one step").isEqualTo(OrderStatus.REJECTED);
        assertThat(event.getReasons()).containsExactly("pricing: unknown menu item unicorn-frappe");
        assertThat(events.isEmpty()).isTrue();
        assertThat(store.get(id("o-1")).getVersion()).isEqualTo(1L);
        assertThat(openByShop.get(OrderStores.shopKey("berlin-mitte", id("o-1")))).isNull();
        driver.advanceWallClockTime(VALIDATION_TIMEOUT.plusMinutes(1));
        assertThat(events.isEmpty()).as("no deadline left behind").isTrue();
    }

    @Test
    void aCardPaymentMustMatchWhatIsOwedOrItIsRefunded() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        validations.pipeInput(id("o-1"), passed(id("o-1"), CheckType.FRAUD));

        payments.pipeInput(id("o-1"), cardPayment(id("o-1"), "pi_short", 500));
        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(store.get(id("o-1")).getAmountPaid()).isNull();
        assertThat(refunds.readValue().getPaymentId()).isEqualTo("pi_short");

        payments.pipeInput(id("o-1"), cardPayment(id("o-1"), "pi_exact", 840));
        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.VALIDATED);
        assertThat(refunds.isEmpty()).isTrue();
    }

    @Test
    void paymentsBeyondTheCapAreRefundedAndNotRemembered() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        for (int i = 0; i < 12; i++) {
            payments.pipeInput(id("o-1"), payment(id("o-1"), "cash-" + i, 10));
        }

        assertThat(store.get(id("o-1")).getPaymentIds()).hasSize(10);
        assertThat(store.get(id("o-1")).getAmountPaid().getAmountMinor()).isEqualTo(100);
        assertThat(refunds.readValuesToList()).extracting(r -> r.getPaymentId()).containsExactly("cash-10", "cash-11");
    }

    @Test
    void aRedeliveredPaymentIsCountedOnce() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        payments.pipeInput(id("o-1"), payment(id("o-1"), "pay-1", 500));
        payments.pipeInput(id("o-1"), payment(id("o-1"), "pay-1", 500));

        assertThat(store.get(id("o-1")).getAmountPaid().getAmountMinor()).isEqualTo(500);
    }

    @Test
    void aFailedCheckRejectsTheOrderWithItsReasonsAndRefundsWhatWasPaid() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        payments.pipeInput(id("o-1"), payment(id("o-1"), "pay-1", 840));
        validations.pipeInput(id("o-1"), failed(id("o-1"), CheckType.FRAUD, "critical risk (score 95): deny-listed device"));

        Order rejected = store.get(id("o-1"));
        assertThat(rejected.getStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(rejected.getReasons()).containsExactly("fraud: critical risk (score 95): deny-listed device");
        assertThat(rejected.getAmountRefunded().getAmountMinor()).isEqualTo(840);
        Refund refund = refunds.readValue();
        assertThat(refund.getAmount().getAmountMinor()).isEqualTo(840);
        assertThat(refund.getPaymentId()).isEqualTo("pay-1");
        assertThat(openByShop.get(OrderStores.shopKey("berlin-mitte", id("o-1")))).isNull();
    }

    @Test
    void eachCheckCanRejectWithItsOwnReason() {
        // checks made elsewhere post their results; pricing and stock are decided in the task (tests above, StockTest)
        for (CheckType check : List.of(CheckType.FRAUD, CheckType.PAYMENT)) {
            startDriver(OrdersSettings.defaults());
            String id = id("o-" + check);
            commands.pipeInput(id, place(id, "fp"));
            validations.pipeInput(id, failed(id, check, "no"));
            assertThat(store.get(id).getStatus()).isEqualTo(OrderStatus.REJECTED);
            assertThat(store.get(id).getReasons()).containsExactly(check.name().toLowerCase() + ": no");
        }
    }

    @Test
    void checkResultsAfterTheOrderMovedOnAreIgnored() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        commands.pipeInput(id("o-1"), cancel(id("o-1")));
        events.readValuesToList();
        validations.pipeInput(id("o-1"), passed(id("o-1"), CheckType.FRAUD));

        assertThat(events.isEmpty()).isTrue();
        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void aPaymentForAClosedOrderIsRefunded() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        commands.pipeInput(id("o-1"), cancel(id("o-1")));
        payments.pipeInput(id("o-1"), payment(id("o-1"), "pay-late", 840));

        assertThat(refunds.readValue().getPaymentId()).isEqualTo("pay-late");
        assertThat(store.get(id("o-1")).getAmountRefunded().getAmountMinor()).isEqualTo(840);
    }

    @Test
    void aPaymentForAnUnknownOrderIsRefunded() {
        payments.pipeInput("nope", payment("nope", "pay-x", 300));

        assertThat(refunds.readValue().getAmount().getAmountMinor()).isEqualTo(300);
        assertThat(events.readValue().getReasons()).singleElement().asString().contains("does not exist");
    }

    // ---- cancelling

    @Test
    void aPaidOrderCancelledIsRefunded() {
        validatedOrder(id("o-1"));
        commands.pipeInput(id("o-1"), cancel(id("o-1")));

        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(refunds.readValue().getAmount().getAmountMinor()).isEqualTo(840);
    }

    @Test
    void aPlacedOrderCanBeCancelledOnce() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        commands.pipeInput(id("o-1"), cancel(id("o-1")));
        commands.pipeInput(id("o-1"), cancel(id("o-1")));

        List<OrderEvent> all = events.readValuesToList();
        assertThat(all.get(1).getToStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(all.get(1).getReasons()).singleElement().asString().contains("changed my mind");
        assertThat(all.get(2).getAccepted()).isFalse();
        assertThat(all.get(2).getReasons()).containsExactly("cannot cancel an order that is CANCELLED");
        assertThat(refunds.isEmpty()).as("nothing was paid").isTrue();
    }

    @Test
    void aCommandForAnUnknownOrderIsRefused() {
        commands.pipeInput("nope", cancel("nope"));

        OrderEvent event = events.readValue();
        assertThat(event.getAccepted()).isFalse();
        assertThat(event.getOrder()).isNull();
        assertThat(event.getReasons()).containsExactly("order nope does not exist");
    }

    // ---- preparation and pickup

    @Test
    void preparationNeedsAValidatedOrder() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        commands.pipeInput(id("o-1"), start(id("o-1")));

        assertThat(events.readValuesToList().get(1).getReasons())
                .containsExactly("cannot start preparing an order that is PLACED");
    }

    @Test
    void readyNeedsAnOrderInPreparation() {
        validatedOrder(id("o-1"));
        commands.pipeInput(id("o-1"), ready(id("o-1")));

        assertThat(lastEvent().getReasons()).containsExactly("cannot mark ready an order that is VALIDATED");
    }

    @Test
    void aValidatedOrderGoesThroughPreparationToPickup() {
        String code = readyForPickup(id("o-1"));
        assertThat(code).matches("[A-Z2-9]{4}");
        commands.pipeInput(id("o-1"), claim(id("o-1"), code.toLowerCase()));

        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.PICKED_UP);
        assertThat(events.readValuesToList()).filteredOn(e -> e.getKind() == OrderEventKind.TRANSITION)
                .extracting(OrderEvent::getToStatus)
                .containsExactly(OrderStatus.PLACED, OrderStatus.VALIDATED, OrderStatus.IN_PREPARATION,
                        OrderStatus.READY, OrderStatus.PICKED_UP);
        assertThat(openByShop.get(OrderStores.shopKey("berlin-mitte", id("o-1")))).isNull();
        commands.pipeInput(id("o-1"), cancel(id("o-1")));
        assertThat(events.readValue().getReasons()).containsExactly("cannot cancel an order that is PICKED_UP");
    }

    @Test
    void aReadyOrderCannotBeCancelledAndACancelledOneCannotBeClaimed() {
        readyForPickup(id("o-1"));
        commands.pipeInput(id("o-1"), cancel(id("o-1")));
        assertThat(lastEvent().getReasons()).containsExactly("cannot cancel an order that is READY");

        validatedOrder(id("o-2"));
        commands.pipeInput(id("o-2"), cancel(id("o-2")));
        commands.pipeInput(id("o-2"), claim(id("o-2"), "ABCD"));
        assertThat(lastEvent().getReasons()).containsExactly("cannot claim an order that is CANCELLED");
    }

    @Test
    void wrongPickupCodesAreCountedAndLockTheClaim() {
        String code = readyForPickup(id("o-1"));
        events.readValuesToList();

        for (int i = 1; i <= 5; i++) {
            commands.pipeInput(id("o-1"), claim(id("o-1"), "0000"));
            OrderEvent refused = events.readValue();
            assertThat(refused.getAccepted()).isFalse();
            assertThat(refused.getReasons()).containsExactly("wrong pickup code (" + i + " of 5 tries)");
        }
        commands.pipeInput(id("o-1"), claim(id("o-1"), code));

        assertThat(events.readValue().getReasons()).singleElement().asString().startsWith("claim locked");
        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.READY);
        assertThat(store.get(id("o-1")).getFailedClaims()).isEqualTo(5);
    }

    // ---- the clock

    @Test
    void anOrderNotValidatedInTimeExpiresAndIsRefunded() {
        commands.pipeInput(id("o-1"), place(id("o-1"), "fp-1"));
        payments.pipeInput(id("o-1"), payment(id("o-1"), "pay-1", 100));
        driver.advanceWallClockTime(VALIDATION_TIMEOUT.minusSeconds(2));
        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.PLACED);

        driver.advanceWallClockTime(Duration.ofSeconds(3));

        Order expired = store.get(id("o-1"));
        assertThat(expired.getStatus()).isEqualTo(OrderStatus.EXPIRED);
        assertThat(expired.getReasons()).singleElement().asString()
                .contains("not validated within").contains("still waiting for FRAUD, PAYMENT");
        assertThat(refunds.readValue().getAmount().getAmountMinor()).isEqualTo(100);
    }

    @Test
    void aValidatedOrderDoesNotExpire() {
        validatedOrder(id("o-1"));
        driver.advanceWallClockTime(VALIDATION_TIMEOUT.plusMinutes(1));

        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.VALIDATED);
    }

    @Test
    void aClosedOrderIsForgottenAfterItsRetentionAndAnOpenOneIsNot() {
        commands.pipeInput(id("o-closed"), place(id("o-closed"), "fp-1"));
        commands.pipeInput(id("o-closed"), cancel(id("o-closed")));
        validatedOrder(id("o-open"));
        Duration retention = OrdersSettings.defaults().closedRetention();

        driver.advanceWallClockTime(retention.minusMinutes(1));
        assertThat(store.get(id("o-closed"))).as("readable within its retention").isNotNull();
        driver.advanceWallClockTime(Duration.ofMinutes(2));

        assertThat(store.get(id("o-closed"))).isNull();
        assertThat(store.get(id("o-open")).getStatus()).isEqualTo(OrderStatus.VALIDATED);
        KeyValueStore<String, String> deadlines = driver.getKeyValueStore(OrderStores.DEADLINES);
        try (var all = deadlines.all()) {
            assertThat(all.hasNext()).as("no deadline left for either").isFalse();
        }
    }

    @Test
    void aReadyOrderNotClaimedInTimeIsFlaggedOnce() {
        readyForPickup(id("o-1"));
        events.readValuesToList();
        driver.advanceWallClockTime(CLAIM_TIMEOUT.plusSeconds(2));
        driver.advanceWallClockTime(Duration.ofMinutes(5));

        List<OrderEvent> flagged = events.readValuesToList();
        assertThat(flagged).singleElement().satisfies(e -> {
            assertThat(e.getKind()).isEqualTo(OrderEventKind.FLAGGED);
            assertThat(e.getReasons()).singleElement().asString().startsWith("not claimed within");
        });
        assertThat(store.get(id("o-1")).getStatus()).isEqualTo(OrderStatus.READY);
        assertThat(store.get(id("o-1")).getUnclaimedSince()).isNotNull();
    }

    @Test
    void aRevertedPaymentIsTakenBackBeforePreparationAndFlaggedAfter() {
        validatedOrder(id("o-rv"));
        events.readValuesToList();
        commands.pipeInput(id("o-rv"), revert(id("o-rv"), "pay-" + id("o-rv"), 840));
        Order waiting = store.get(id("o-rv"));
        assertThat(waiting.getStatus()).as("validated, not prepared: waits for its payment again").isEqualTo(OrderStatus.PLACED);
        assertThat(waiting.getPendingChecks()).containsExactly(CheckType.PAYMENT);
        assertThat(waiting.getAmountPaid().getAmountMinor()).isZero();
        assertThat(waiting.getExpiresAt()).isNotNull();
        assertThat(lastEvent().getFromStatus()).isEqualTo(OrderStatus.VALIDATED);

        // the same payment confirmed again on the new branch counts again
        payments.pipeInput(id("o-rv"), payment(id("o-rv"), "pay-" + id("o-rv"), 840));
        assertThat(store.get(id("o-rv")).getStatus()).isEqualTo(OrderStatus.VALIDATED);
        commands.pipeInput(id("o-rv"), start(id("o-rv")));
        events.readValuesToList();
        commands.pipeInput(id("o-rv"), revert(id("o-rv"), "pay-" + id("o-rv"), 840));
        assertThat(store.get(id("o-rv")).getStatus()).as("being prepared: not taken back").isEqualTo(OrderStatus.IN_PREPARATION);
        OrderEvent flagged = lastEvent();
        assertThat(flagged.getKind()).isEqualTo(OrderEventKind.FLAGGED);
        assertThat(flagged.getReasons()).singleElement().asString().contains("staff decide");

        commands.pipeInput(id("o-rv"), revert(id("o-rv"), "never-paid", 100));
        assertThat(lastEvent().getKind()).isEqualTo(OrderEventKind.REFUSED);
    }

    private OrderEvent lastEvent() {
        List<OrderEvent> all = events.readValuesToList();
        return all.get(all.size() - 1);
    }

    private void validatedOrder(String orderId) {
        commands.pipeInput(orderId, place(orderId, "fp-1"));
        validations.pipeInput(orderId, passed(orderId, CheckType.FRAUD));
        payments.pipeInput(orderId, payment(orderId, "pay-" + orderId, 840));
        assertThat(store.get(orderId).getStatus()).isEqualTo(OrderStatus.VALIDATED);
    }

    /** Validates, starts and readies an order; returns its pickup code. */
    private String readyForPickup(String orderId) {
        validatedOrder(orderId);
        commands.pipeInput(orderId, start(orderId));
        commands.pipeInput(orderId, ready(orderId));
        return store.get(orderId).getPickupCode();
    }
}

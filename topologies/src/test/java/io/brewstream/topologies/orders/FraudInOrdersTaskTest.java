package io.brewstream.topologies.orders;

import static io.brewstream.topologies.support.OrderFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.fraud.Chargeback;
import io.brewstream.schemas.fraud.CustomerRisk;
import io.brewstream.schemas.fraud.DenyListEntry;
import io.brewstream.schemas.fraud.DenyListKind;
import io.brewstream.schemas.fraud.FraudActivityEntry;
import io.brewstream.schemas.fraud.FraudDecision;
import io.brewstream.schemas.fraud.FraudLevel;
import io.brewstream.schemas.fraud.FraudReason;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.payments.Refund;
import io.brewstream.schemas.reference.Customer;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.fraud.FraudProfiles;
import io.brewstream.topologies.fraud.FraudRules;
import io.brewstream.topologies.fraud.FraudSettings;
import io.brewstream.topologies.fraud.FraudSettings.Rules;
import io.brewstream.topologies.fraud.FraudStores;
import io.brewstream.topologies.inventory.InventorySettings;
import io.brewstream.topologies.reference.DemoData;
import io.brewstream.topologies.support.DriverSupport;

/**
 * Fraud scored in the orders task: one step from nothing to VALIDATED or REJECTED, other partitions' orders seen
 * through fraud.activity, the first payment's deny-list check, the limit of unpaid orders over all partitions,
 * chargebacks, alerts. The rules themselves are tested one by one in FraudTopologyTest (the same FraudRules).
 */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class FraudInOrdersTaskTest {
    private static final int NEVER = 1_000;
    private static final String SHOP = "berlin-mitte";
    /** The task's partition under the TopologyTestDriver (one partition per topic). */
    private static final int THIS_PARTITION = 0;

    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, OrderCommand> commands;
    private TestInputTopic<String, PaymentReceived> payments;
    private TestInputTopic<String, CustomerRisk> activityIn;
    private TestOutputTopic<String, OrderEvent> events;
    private TestOutputTopic<String, FraudScore> scores;
    private TestOutputTopic<String, FraudScore> alerts;
    private TestOutputTopic<String, CustomerRisk> activity;
    private TestOutputTopic<String, Refund> refunds;
    private int orders;

    @TempDir
    Path stateDir;

    FraudInOrdersTaskTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    private void start(FraudSettings fraud, CheckType... checks) {
        support = new DriverSupport(new OrdersTopology(OrdersSettings.defaults().withRequiredChecks(List.of(checks)),
                InventorySettings.defaults(), fraud), serdes, stateDir, T0);
        support.seed(Topics.SHOPS, DemoData.shops(), Shop::getShopId);
        support.seed(Topics.MENU_ITEMS, DemoData.menu(), MenuItem::getMenuItemId);
        support.seed(Topics.CUSTOMERS, List.of(customer("regular", T0.minus(Duration.ofDays(400))),
                customer("newbie", T0.minus(Duration.ofHours(1)))), Customer::getCustomerId);
        commands = support.input(Topics.ORDER_COMMANDS);
        payments = support.input(Topics.PAYMENTS);
        activityIn = support.input(Topics.FRAUD_ACTIVITY);
        events = support.output(Topics.ORDER_EVENTS);
        scores = support.output(Topics.FRAUD_SCORES);
        alerts = support.output(Topics.FRAUD_ALERTS);
        activity = support.output(Topics.FRAUD_ACTIVITY);
        refunds = support.output(Topics.REFUNDS);
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    private static FraudSettings quiet(boolean waitForPayment) {
        FraudSettings d = FraudSettings.defaults();
        return new FraudSettings(d.weights(), d.shortWindow(), d.longWindow(), NEVER, NEVER, NEVER, NEVER, NEVER, NEVER,
                d.amountDeviations(), d.amountMinHistory(), d.newAccountAge(), d.reviewFrom(), d.rejectFrom(),
                waitForPayment, d.maxUnpaidOrders());
    }

    private static FraudSettings withCustomerOrdersShort(FraudSettings s, int limit) {
        return new FraudSettings(s.weights(), s.shortWindow(), s.longWindow(), limit, s.customerOrdersLong(),
                s.deviceOrdersShort(), s.ipOrdersShort(), s.customersPerDevice(), s.customersPerIp(), s.amountDeviations(),
                s.amountMinHistory(), s.newAccountAge(), s.reviewFrom(), s.rejectFrom(), s.waitForPayment(),
                s.maxUnpaidOrders());
    }

    private static FraudSettings atOnce() {
        FraudSettings d = FraudSettings.defaults();
        return new FraudSettings(d.weights(), d.shortWindow(), d.longWindow(), d.customerOrdersShort(),
                d.customerOrdersLong(), d.deviceOrdersShort(), d.ipOrdersShort(), d.customersPerDevice(),
                d.customersPerIp(), d.amountDeviations(), d.amountMinHistory(), d.newAccountAge(), d.reviewFrom(),
                d.rejectFrom(), false, d.maxUnpaidOrders());
    }

    @Test
    void anOrdinaryOrderGoesFromNothingToValidatedInOneEventWithItsScoreAndItsShare() {
        start(atOnce(), CheckType.PRICING, CheckType.FRAUD);
        String orderId = place("regular", "dev-1", "10.0.0.1", T0);

        OrderEvent event = events.readValue();
        assertThat(event.getFromStatus()).isNull();
        assertThat(event.getToStatus()).isEqualTo(OrderStatus.VALIDATED);
        assertThat(events.isEmpty()).as("one event for the placement, checks and all").isTrue();
        FraudScore score = scores.readValue();
        assertThat(score.getOrderId()).isEqualTo(orderId);
        assertThat(score.getScore()).isZero();
        assertThat(score.getDecision()).isEqualTo(FraudDecision.APPROVE);
        assertThat(support.driver.producedTopicNames()).as("no detour through the validations topic")
                .doesNotContain(Topics.ORDER_VALIDATIONS.name());

        var share = activity.readKeyValue();
        assertThat(share.key).isEqualTo(Keys.customerShare("regular", THIS_PARTITION));
        assertThat(share.value.getRecent()).singleElement().satisfies(e -> {
            assertThat(e.getOrderId()).isEqualTo(orderId);
            assertThat(e.getDeviceId()).isEqualTo("dev-1");
            assertThat(e.getClientIp()).isEqualTo("10.0.0.1");
        });
        assertThat(share.value.getAmountCount()).isEqualTo(1);
        assertThat(share.value.getScoredOrders()).isEqualTo(1);
        assertThat(activity.isEmpty()).as("one share written per step").isTrue();
    }

    @Test
    void ordersOfAnotherPartitionCountOnceTheirShareArrives() {
        start(withCustomerOrdersShort(quiet(false), 3), CheckType.PRICING, CheckType.FRAUD);
        place("regular", null, null, T0);
        place("regular", null, null, T0.plusSeconds(1));
        assertThat(scores.readValuesToList()).allSatisfy(s -> assertThat(s.getScore()).isZero());

        // meanwhile, another shop partition scored two orders of the same customer
        activityIn.pipeInput(Keys.customerShare("regular", 4), CustomerRisk.newBuilder().setCustomerId("regular")
                .setRecent(List.of(entry("elsewhere-1", "regular", T0.minusSeconds(60)),
                        entry("elsewhere-2", "regular", T0.minusSeconds(30))))
                .setAmountCount(2).setAmountSumMinor(800).setAmountSumOfSquares(320_000).build());

        place("regular", null, null, T0.plusSeconds(2));
        FraudScore score = scores.readValue();
        assertThat(score.getReasons()).extracting(FraudReason::getRule).containsExactly(Rules.CUSTOMER_VELOCITY_SHORT);
        assertThat(score.getReasons().get(0).getDetail()).startsWith("at least 5 orders by this customer");

        // the read API's profile is the sum of the shares
        KeyValueStore<String, CustomerRisk> profiles = support.driver.getKeyValueStore(FraudStores.PROFILES);
        CustomerRisk profile = FraudProfiles.profile(profiles, "regular");
        assertThat(profile.getAmountCount()).isEqualTo(2 + 3);
        assertThat(profile.getRecent()).extracting(FraudActivityEntry::getOrderId).contains("elsewhere-1", "elsewhere-2");
        assertThat(profile.getScoredOrders()).isEqualTo(3);
    }

    @Test
    void aBurstFromOneDeviceWithTwentyCustomersEndsInRejectionAndAnAlert() {
        start(atOnce(), CheckType.PRICING, CheckType.FRAUD);
        for (int i = 0; i < 20; i++) {
            place("burst-" + i, "one-device", "198.51.100." + i, T0.plusSeconds(10L * i));
        }
        FraudScore last = scores.readValuesToList().get(19);
        assertThat(last.getDecision()).isEqualTo(FraudDecision.REJECT);
        assertThat(last.getReasons()).extracting(FraudReason::getRule)
                .contains(Rules.DEVICE_VELOCITY, Rules.DEVICE_MANY_CUSTOMERS);
        OrderEvent rejected = events.readValuesToList().get(19);
        assertThat(rejected.getToStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(rejected.getOrder().getReasons()).containsExactly("fraud: " + FraudRules.CUSTOMER_FACING_REJECTION);
        assertThat(alerts.readValuesToList()).extracting(FraudScore::getOrderId).contains(last.getOrderId());
        KeyValueStore<String, FraudScore> recent = support.driver.getKeyValueStore(FraudStores.RECENT_ALERTS);
        try (var it = recent.all()) {
            assertThat(it.hasNext()).isTrue();
        }
    }

    @Test
    void withWaitForPaymentADeniedCardRejectsTheOrderInTheStepThatCountsThePaymentAndRefundsIt() {
        start(FraudSettings.defaults(), CheckType.PRICING, CheckType.FRAUD, CheckType.PAYMENT);
        support.input(Topics.DENY_LIST).pipeInput("CARD_FINGERPRINT:stolen-1", DenyListEntry.newBuilder()
                .setKind(DenyListKind.CARD_FINGERPRINT).setValue("stolen-1").setReason("reported stolen").setAddedAt(T0).build());
        String orderId = place("regular", "dev-1", "10.0.7.1", T0);
        OrderEvent placed = events.readValue();
        assertThat(placed.getToStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(placed.getOrder().getPendingChecks()).containsExactly(CheckType.FRAUD, CheckType.PAYMENT);
        assertThat(scores.isEmpty()).as("the score waits for the first payment").isTrue();

        long total = placed.getOrder().getTotal().getAmountMinor();
        payments.pipeInput(orderId, payment(orderId, "p-1", total, "stolen-1"));
        OrderEvent paid = events.readValue();
        assertThat(events.isEmpty()).as("one event: the payment counted and the order rejected").isTrue();
        assertThat(paid.getFromStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(paid.getToStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(paid.getOrder().getVersion()).isEqualTo(placed.getOrder().getVersion() + 1);
        FraudScore score = scores.readValue();
        assertThat(score.getLevel()).isEqualTo(FraudLevel.CRITICAL);
        assertThat(score.getReasons()).anyMatch(r -> r.getDetail().contains("reported stolen"));
        assertThat(paid.getOrder().getReasons()).noneMatch(r -> r.contains("stolen"));
        assertThat(alerts.readValue().getOrderId()).isEqualTo(orderId);
        assertThat(refunds.readValue().getAmount().getAmountMinor()).isEqualTo(total);

        // a clean card: validated in the step that counts its payment
        String clean = place("regular", "dev-1", "10.0.7.1", T0.plusSeconds(5));
        long cleanTotal = events.readValue().getOrder().getTotal().getAmountMinor();
        payments.pipeInput(clean, payment(clean, "p-2", cleanTotal, "fine-1"));
        OrderEvent validated = events.readValue();
        assertThat(validated.getToStatus()).isEqualTo(OrderStatus.VALIDATED);
        assertThat(validated.getKind()).isEqualTo(OrderEventKind.TRANSITION);
    }

    @Test
    void theLimitOfUnpaidOrdersCountsEveryPartitionAndAPaidOrderMakesRoom() {
        start(quiet(true), CheckType.PRICING, CheckType.FRAUD, CheckType.PAYMENT);
        List<String> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(place("regular", null, null, T0.plusSeconds(i)));
        }
        assertThat(events.readValuesToList()).extracting(OrderEvent::getToStatus).containsOnly(OrderStatus.PLACED);

        place("regular", null, null, T0.plusSeconds(10));
        OrderEvent refused = events.readValue();
        assertThat(refused.getToStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(refused.getOrder().getReasons()).singleElement().asString()
                .contains("you have 5 orders waiting for payment");

        long total = support.driver.<String, io.brewstream.schemas.orders.Order>getKeyValueStore(OrderStores.ORDERS)
                .get(waiting.get(0)).getTotal().getAmountMinor();
        payments.pipeInput(waiting.get(0), payment(waiting.get(0), "p-1", total, null));
        assertThat(events.readValue().getToStatus()).isEqualTo(OrderStatus.VALIDATED);
        place("regular", null, null, T0.plusSeconds(20));
        assertThat(events.readValue().getToStatus()).as("one paid: room for one more").isEqualTo(OrderStatus.PLACED);

        // a customer with five orders waiting in another partition has no room here
        activityIn.pipeInput(Keys.customerShare("newbie", 2), CustomerRisk.newBuilder().setCustomerId("newbie")
                .setUnpaidOrderIds(List.of("a", "b", "c", "d", "e")).build());
        place("newbie", null, null, T0.plusSeconds(30));
        assertThat(events.readValue().getToStatus()).isEqualTo(OrderStatus.REJECTED);
    }

    @Test
    void aChargebackCountsInTheShareOfItsOrdersPartitionAndFiresForTheNextOrder() {
        start(quiet(false), CheckType.PRICING, CheckType.FRAUD);
        String first = place("regular", null, null, T0);
        assertThat(scores.readValue().getScore()).isZero();
        support.input(Topics.CHARGEBACKS).pipeInput("regular", Chargeback.newBuilder().setChargebackId("cb-1")
                .setCustomerId("regular").setOrderId(first).setAmount(Amounts.of(900, "EUR")).setReceivedAt(T0).build());

        place("regular", null, null, T0.plusSeconds(5));
        FraudScore score = scores.readValue();
        assertThat(score.getReasons()).extracting(FraudReason::getRule).containsExactly(Rules.CHARGEBACKS);
    }

    /** Places an order of one large oat latte at berlin-mitte, at {@code at}; its id. */
    private String place(String customer, String device, String ip, Instant at) {
        String orderId = OrderIds.forRequest(SHOP, customer, "o-" + (++orders));
        commands.pipeInput(orderId, OrderCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setOrderId(orderId)
                .setChannel(Channel.APP).setIssuedAt(at).setCommand(PlaceOrder.newBuilder().setShopId(SHOP)
                        .setCustomerId(customer).setDeviceId(device).setClientIp(ip)
                        .setLines(List.of(OrderLine.newBuilder().setMenuItemId("latte").setQuantity(1)
                                .setSize(ItemSize.LARGE).setOptions(List.of("oat")).build()))
                        .setIdempotencyKey("key-" + orders).setRequestFingerprint("fp-" + orders).build())
                .build(), at);
        return orderId;
    }

    private static PaymentReceived payment(String orderId, String paymentId, long amountMinor, String card) {
        return PaymentReceived.newBuilder().setPaymentId(paymentId).setOrderId(orderId).setMethod(PaymentMethod.CARD)
                .setAmount(Amounts.of(amountMinor, "EUR")).setCardFingerprint(card).setReceivedAt(T0).build();
    }

    private static FraudActivityEntry entry(String orderId, String customer, Instant at) {
        return FraudActivityEntry.newBuilder().setOrderId(orderId).setCustomerId(customer).setAt(at).build();
    }

    private static Customer customer(String id, Instant createdAt) {
        return Customer.newBuilder().setCustomerId(id).setDisplayName(id).setCreatedAt(createdAt).setChargebacks(0).build();
    }
}

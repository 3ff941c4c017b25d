package io.brewstream.topologies.fraud;

import static io.brewstream.topologies.reference.DemoData.MITTE;
import static io.brewstream.topologies.support.OrderFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.fraud.Chargeback;
import io.brewstream.schemas.fraud.CustomerRisk;
import io.brewstream.schemas.fraud.DenyListEntry;
import io.brewstream.schemas.fraud.DenyListKind;
import io.brewstream.schemas.fraud.FraudActivity;
import io.brewstream.schemas.fraud.FraudDecision;
import io.brewstream.schemas.fraud.FraudCase;
import io.brewstream.schemas.fraud.FraudLevel;
import io.brewstream.schemas.fraud.FraudReason;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.reference.Customer;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.fraud.FraudSettings.Rules;
import io.brewstream.topologies.support.DriverSupport;

/** One test per rule, window edges, the device burst, the decision and the alerts. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class FraudTopologyTest {
    private static final int NEVER = 1_000;
    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, OrderEvent> events;
    private TestInputTopic<String, PaymentReceived> payments;
    private TestOutputTopic<String, FraudScore> scores;
    private TestOutputTopic<String, FraudScore> alerts;
    private TestOutputTopic<String, ValidationResult> results;
    private int orderCount;

    @TempDir
    Path stateDir;

    FraudTopologyTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    private void start(FraudSettings settings) {
        start(settings, Map.of());
    }

    private void start(FraudSettings settings, Map<String, Object> config) {
        if (support != null) {
            support.close();
        }
        support = new DriverSupport(new FraudTopology(settings), serdes, stateDir, T0, config);
        support.seed(Topics.CUSTOMERS, List.of(customer("regular", T0.minus(Duration.ofDays(400)), 0),
                customer("newbie", T0.minus(Duration.ofHours(1)), 0)), Customer::getCustomerId);
        events = support.input(Topics.ORDER_EVENTS);
        payments = support.input(Topics.PAYMENTS);
        scores = support.output(Topics.FRAUD_SCORES);
        alerts = support.output(Topics.FRAUD_ALERTS);
        results = support.output(Topics.ORDER_VALIDATIONS);
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    /** Settings where no rule fires unless a test lowers its limit. */
    private static FraudSettings quiet() {
        FraudSettings d = FraudSettings.defaults();
        return new FraudSettings(d.weights(), d.shortWindow(), d.longWindow(), NEVER, NEVER, NEVER, NEVER, NEVER, NEVER,
                d.amountDeviations(), d.amountMinHistory(), d.newAccountAge(), d.reviewFrom(), d.rejectFrom(), true,
                d.maxUnpaidOrders());
    }

    private static FraudSettings with(FraudSettings s, int customerShort, int customerLong, int deviceShort, int ipShort,
            int perDevice, int perIp) {
        return new FraudSettings(s.weights(), s.shortWindow(), s.longWindow(), customerShort, customerLong, deviceShort,
                ipShort, perDevice, perIp, s.amountDeviations(), s.amountMinHistory(), s.newAccountAge(), s.reviewFrom(),
                s.rejectFrom(), s.waitForPayment(), s.maxUnpaidOrders());
    }

    @Test
    void anOrdinaryOrderIsApprovedWithAZeroScore() {
        start(FraudSettings.defaults());
        FraudScore score = scoreOf(order("regular", "dev-1", "10.0.0.1", 450, T0));

        assertThat(score.getScore()).isZero();
        assertThat(score.getLevel()).isEqualTo(FraudLevel.LOW);
        assertThat(score.getDecision()).isEqualTo(FraudDecision.APPROVE);
        ValidationResult result = results.readValue();
        assertThat(result.getCheck()).isEqualTo(CheckType.FRAUD);
        assertThat(result.getPassed()).isTrue();
    }

    @Test
    void nothingIsScoredBeforeTheFirstPayment() {
        start(FraudSettings.defaults());
        events.pipeInput("o-x", event(order("regular", "dev-1", "10.0.0.1", 450, T0)));

        assertThat(scores.isEmpty()).isTrue();
    }

    @Test
    void aPaymentThatArrivesBeforeTheOrderIsScoredAllTheSame() {
        // why the fraud application may process its inputs in any order (FraudTopology.configOverrides)
        start(FraudSettings.defaults());
        Order order = order("regular", "dev-1", "10.0.0.3", 450, T0);
        payments.pipeInput(order.getOrderId(), payment(order.getOrderId(), null));
        assertThat(scores.isEmpty()).isTrue();

        events.pipeInput(order.getOrderId(), event(order));
        assertThat(scores.readValuesToList()).singleElement()
                .satisfies(score -> assertThat(score.getDecision()).isEqualTo(FraudDecision.APPROVE));
    }

    @Test
    void customerVelocityInTheShortWindowAddsItsWeight() {
        start(with(quiet(), 3, NEVER, NEVER, NEVER, NEVER, NEVER));
        for (int i = 0; i < 3; i++) {
            assertThat(scoreOf(order("regular", "dev-" + i, "10.0.0." + i, 450, T0.plusSeconds(i))).getScore()).isZero();
        }
        assertFired(scoreOf(order("regular", "dev-9", "10.0.0.9", 450, T0.plusSeconds(3))), Rules.CUSTOMER_VELOCITY_SHORT, 0.3);
    }

    @Test
    void anOrderJustInsideTheWindowCountsAndOneJustOutsideDoesNot() {
        start(with(quiet(), 3, NEVER, NEVER, NEVER, NEVER, NEVER));
        for (int i = 0; i < 3; i++) {
            scoreOf(order("regular", "d" + i, "10.0.0." + i, 450, T0.plusSeconds(i)));
        }
        // the first order was at T0; ten minutes after it, it has left the window
        assertThat(scoreOf(order("regular", "d5", "10.0.0.5", 450, T0.plus(Duration.ofMinutes(10)))).getScore()).isZero();

        start(with(quiet(), 3, NEVER, NEVER, NEVER, NEVER, NEVER));
        for (int i = 0; i < 3; i++) {
            scoreOf(order("regular", "d" + i, "10.0.0." + i, 450, T0.plusSeconds(i)));
        }
        assertFired(scoreOf(order("regular", "d6", "10.0.0.6", 450, T0.plus(Duration.ofMinutes(10)).minusMillis(1))),
                Rules.CUSTOMER_VELOCITY_SHORT, 0.3);
    }

    @Test
    void customerVelocityInTheLongWindowAddsItsWeight() {
        start(with(quiet(), NEVER, 8, NEVER, NEVER, NEVER, NEVER));
        for (int i = 0; i < 8; i++) {
            scoreOf(order("regular", "d" + i, "10.0.1." + i, 450, T0.plus(Duration.ofMinutes(7L * i))));
        }
        assertFired(scoreOf(order("regular", "d9", "10.0.1.9", 450, T0.plus(Duration.ofMinutes(57)))),
                Rules.CUSTOMER_VELOCITY_LONG, 0.2);
    }

    @Test
    void deviceVelocityAddsItsWeight() {
        start(with(quiet(), NEVER, NEVER, 5, NEVER, NEVER, NEVER));
        for (int i = 0; i < 5; i++) {
            scoreOf(order("regular", "dev-1", "10.0.2." + i, 450, T0.plusSeconds(i)));
        }
        assertFired(scoreOf(order("regular", "dev-1", "10.0.2.9", 450, T0.plusSeconds(9))), Rules.DEVICE_VELOCITY, 0.3);
    }

    @Test
    void ipVelocityAddsItsWeight() {
        start(with(quiet(), NEVER, NEVER, NEVER, 10, NEVER, NEVER));
        for (int i = 0; i < 10; i++) {
            scoreOf(order("regular", "dev-" + i, "10.9.9.9", 450, T0.plusSeconds(i)));
        }
        assertFired(scoreOf(order("regular", "dev-x", "10.9.9.9", 450, T0.plusSeconds(20))), Rules.IP_VELOCITY, 0.2);
    }

    @Test
    void manyCustomersOnOneDeviceAddItsWeight() {
        start(with(quiet(), NEVER, NEVER, NEVER, NEVER, 3, NEVER));
        for (int i = 0; i < 3; i++) {
            scoreOf(order("c" + i, "shared-device", "10.0.3." + i, 450, T0.plus(Duration.ofMinutes(12L * i))));
        }
        assertFired(scoreOf(order("c9", "shared-device", "10.0.3.9", 450, T0.plus(Duration.ofMinutes(50)))),
                Rules.DEVICE_MANY_CUSTOMERS, 0.5);
    }

    @Test
    void manyCustomersOnOneIpAddItsWeight() {
        start(with(quiet(), NEVER, NEVER, NEVER, NEVER, NEVER, 5));
        for (int i = 0; i < 5; i++) {
            scoreOf(order("c" + i, "dev-" + i, "192.0.2.7", 450, T0.plus(Duration.ofMinutes(11L * i))));
        }
        assertFired(scoreOf(order("c9", "dev-9", "192.0.2.7", 450, T0.plus(Duration.ofMinutes(58)))),
                Rules.IP_MANY_CUSTOMERS, 0.3);
    }

    @Test
    void anAmountFarAboveTheCustomersHistoryAddsItsWeight() {
        start(quiet());
        long[] usual = {450, 480, 420, 500, 460};
        for (int i = 0; i < usual.length; i++) {
            assertThat(scoreOf(order("regular", "d" + i, "10.0.4." + i, usual[i], T0.plus(Duration.ofHours(2L * i))))
                    .getScore()).isZero();
        }
        assertFired(scoreOf(order("regular", "d9", "10.0.4.9", 4_800, T0.plus(Duration.ofHours(12)))),
                Rules.AMOUNT_DEVIATION, 0.25);
        CustomerRisk risk = support.driver.<String, CustomerRisk>getKeyValueStore(FraudStores.CUSTOMER_RISK).get("regular");
        assertThat(risk.getAmountCount()).isEqualTo(6);
        assertThat(risk.getScoredOrders()).isEqualTo(6);
        assertThat(risk.getLastScore().getReasons()).extracting(FraudReason::getRule).contains(Rules.AMOUNT_DEVIATION);
    }

    @Test
    void aNewAccountAddsItsWeight() {
        start(quiet());
        assertFired(scoreOf(order("newbie", "dev-1", "10.0.5.1", 450, T0)), Rules.NEW_ACCOUNT, 0.1);
    }

    @Test
    void chargebacksOnTheCustomersRecordAddTheirWeight() {
        start(quiet());
        support.input(Topics.CHARGEBACKS).pipeInput("regular", Chargeback.newBuilder().setChargebackId("cb-1")
                .setCustomerId("regular").setOrderId("old").setAmount(Amounts.of(900, "EUR")).setReceivedAt(T0).build());

        assertFired(scoreOf(order("regular", "dev-1", "10.0.6.1", 450, T0.plusSeconds(5))), Rules.CHARGEBACKS, 0.3);
    }

    @Test
    void aDeniedCardIsCriticalRejectedAndAlerted() {
        start(FraudSettings.defaults());
        support.input(Topics.DENY_LIST).pipeInput("CARD_FINGERPRINT:stolen-1", DenyListEntry.newBuilder()
                .setKind(DenyListKind.CARD_FINGERPRINT).setValue("stolen-1").setReason("reported stolen")
                .setAddedAt(T0).build());
        Order order = order("regular", "dev-1", "10.0.7.1", 450, T0);
        events.pipeInput(order.getOrderId(), event(order));
        payments.pipeInput(order.getOrderId(), payment(order.getOrderId(), "stolen-1"));

        FraudScore score = scores.readValue();
        assertFired(score, Rules.DENY_LIST, 1.0);
        assertThat(score.getLevel()).isEqualTo(FraudLevel.CRITICAL);
        assertThat(score.getDecision()).isEqualTo(FraudDecision.REJECT);
        assertThat(alerts.readValue().getOrderId()).isEqualTo(order.getOrderId());
        ValidationResult result = results.readValue();
        assertThat(result.getPassed()).isFalse();
        // the evidence is for analysts (on the score); the order's customer reads only a customer-facing reason
        assertThat(score.getReasons()).anyMatch(r -> r.getDetail().contains("reported stolen"));
        assertThat(result.getReasons()).containsExactly(FraudRules.CUSTOMER_FACING_REJECTION);
        KeyValueStore<String, FraudScore> recent = support.driver.getKeyValueStore(FraudStores.RECENT_ALERTS);
        assertThat(count(recent)).isEqualTo(1);
    }

    @Test
    void anOrderOverTheCustomersLimitOfUnpaidOrdersFailsAtOnceAndAPaidOneMakesRoom() {
        start(quiet());
        List<Order> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Order order = order("regular", null, null, 450, T0.plusSeconds(i));
            waiting.add(order);
            events.pipeInput(order.getOrderId(), placed(order));
        }
        assertThat(results.readValuesToList()).as("five orders may wait").isEmpty();

        Order sixth = order("regular", null, null, 450, T0.plusSeconds(10));
        events.pipeInput(sixth.getOrderId(), placed(sixth));
        ValidationResult refused = results.readValue();
        assertThat(refused.getOrderId()).isEqualTo(sixth.getOrderId());
        assertThat(refused.getCheck()).isEqualTo(CheckType.FRAUD);
        assertThat(refused.getPassed()).isFalse();
        assertThat(refused.getReasons()).containsExactly(String.format(UnpaidOrdersLimit.REASON, 5));
        Order otherCustomer = order("newbie", null, null, 450, T0.plusSeconds(11));
        events.pipeInput(otherCustomer.getOrderId(), placed(otherCustomer));
        assertThat(results.isEmpty()).as("another customer's orders do not count").isTrue();

        Order validated = Order.newBuilder(waiting.get(0)).setStatus(OrderStatus.VALIDATED).build();
        events.pipeInput(validated.getOrderId(), OrderEvent.newBuilder(placed(validated))
                .setFromStatus(OrderStatus.PLACED).setToStatus(OrderStatus.VALIDATED).build());
        Order seventh = order("regular", null, null, 450, T0.plusSeconds(20));
        events.pipeInput(seventh.getOrderId(), placed(seventh));
        assertThat(results.isEmpty()).as("one paid: room for one more").isTrue();
    }

    private static OrderEvent placed(Order order) {
        return OrderEvent.newBuilder(event(order)).setFromStatus(null).setToStatus(order.getStatus())
                .setKind(OrderEventKind.TRANSITION).build();
    }

    @Test
    void aBurstOfTwentyOrdersFromOneDeviceWithTwentyCustomersEndsInReject() {
        start(FraudSettings.defaults());
        FraudScore last = null;
        for (int i = 0; i < 20; i++) {
            last = scoreOf(order("burst-" + i, "one-device", "198.51.100." + i, 450, T0.plusSeconds(10L * i)));
        }
        assertThat(last.getDecision()).isEqualTo(FraudDecision.REJECT);
        assertThat(last.getReasons()).extracting(FraudReason::getRule)
                .contains(Rules.DEVICE_VELOCITY, Rules.DEVICE_MANY_CUSTOMERS);
        assertThat(results.readValuesToList()).last().satisfies(r -> {
            assertThat(r.getPassed()).isFalse();
            assertThat(r.getReasons()).containsExactly(FraudRules.CUSTOMER_FACING_REJECTION);
        });
    }

    @Test
    void aRepeatedEventForTheSameOrderIsScoredOnce() {
        start(FraudSettings.defaults());
        Order order = order("regular", "dev-1", "10.0.8.1", 450, T0);
        events.pipeInput(order.getOrderId(), event(order));
        events.pipeInput(order.getOrderId(), event(order));
        payments.pipeInput(order.getOrderId(), payment(order.getOrderId(), null));
        payments.pipeInput(order.getOrderId(), payment(order.getOrderId(), null));

        assertThat(scores.readValuesToList()).hasSize(1);
    }

    @Test
    void anOrderIsLookedAtFromEachSideOnceHoweverOftenItsEventsRepeat() {
        start(FraudSettings.defaults());
        Order order = order("regular", "dev-1", "10.0.8.2", 450, T0);
        for (int i = 0; i < 3; i++) {
            events.pipeInput(order.getOrderId(), event(order));
        }
        payments.pipeInput(order.getOrderId(), payment(order.getOrderId(), null));

        assertThat(scores.readValuesToList()).hasSize(1);
        for (String side : List.of("orders-by-customer", "orders-by-device", "orders-by-ip")) {
            assertThat(repartitioned(side)).as(side).hasSize(1);
        }
        KeyValueStore<String, Long> letIn = support.driver.getKeyValueStore(FraudStores.LET_INTO_SCORING);
        assertThat(letIn.get(order.getOrderId())).isNotNull();

        Order validated = Order.newBuilder(order).setStatus(OrderStatus.VALIDATED).setPendingChecks(List.of()).build();
        events.pipeInput(order.getOrderId(), event(validated));
        assertThat(letIn.get(order.getOrderId())).as("forgotten once it left PLACED").isNull();
    }

    @Test
    void aBusyIpKeepsOnlyTheOrdersItsRulesNeedAndStillFiresThem() {
        start(with(quiet(), NEVER, NEVER, NEVER, 10, NEVER, 5));
        String ip = "203.0.113.9";
        for (int i = 0; i < 200; i++) {
            FraudScore score = scoreOf(order("guest-" + i, "dev-" + i, ip, 450, T0.plusSeconds(i)));
            if (i >= 10) {
                assertThat(score.getReasons()).extracting(FraudReason::getRule)
                        .containsExactlyInAnyOrder(Rules.IP_VELOCITY, Rules.IP_MANY_CUSTOMERS);
            }
        }
        KeyValueStore<String, FraudActivity> activity = support.driver.getKeyValueStore(FraudStores.IP_ACTIVITY);
        assertThat(activity.get(ip).getEntries()).hasSizeLessThanOrEqualTo((10 + 1) + (5 + 1));

        // eleven minutes on, the burst has left the short window but its customers are still in the hour
        FraudScore later = scoreOf(order("guest-x", "dev-x", ip, 450, T0.plusSeconds(200).plus(Duration.ofMinutes(11))));
        assertThat(later.getReasons()).extracting(FraudReason::getRule).containsExactly(Rules.IP_MANY_CUSTOMERS);
        assertThat(later.getReasons().get(0).getDetail()).matches("at least \\d+ customers on this IP in 60 minutes \\(limit 5\\)");
    }

    /** What the topology wrote to one of its repartition topics since the last call. */
    private List<OrderEvent> repartitioned(String name) {
        String topic = support.driver.producedTopicNames().stream()
                .filter(produced -> produced.endsWith(name + "-repartition")).findFirst().orElseThrow();
        return support.driver.createOutputTopic(topic, Serdes.String().deserializer(),
                Topics.ORDER_EVENTS.valueSerde(serdes).deserializer()).readValuesToList();
    }

    @Test
    void casesAreForgottenOnceStreamTimeIsADayPastThemWithoutAScan() {
        // no record cache: a cached copy of a dropped case would hide that the store let it go
        start(FraudSettings.defaults(), Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L));
        Order first = order("regular", "dev-1", "10.0.9.1", 450, T0);
        scoreAtItsTime(first);
        WindowStore<String, FraudCase> cases = support.driver.getWindowStore(FraudStores.CASES);
        assertThat(caseOf(cases, first.getOrderId())).as("decided, kept against repeats").isNotNull();

        // a day later (less 20 minutes) by the orders' own time, it is still kept
        scoreAtItsTime(order("regular", "dev-1", "10.0.9.1", 450, T0.plus(CaseGatherer.CASE_RETENTION).minusSeconds(1_200)));
        assertThat(caseOf(cases, first.getOrderId())).isNotNull();
        // a day and a half later it is gone with its segment; the newer case stays
        Order late = order("regular", "dev-1", "10.0.9.1", 450,
                T0.plus(CaseGatherer.CASE_RETENTION.multipliedBy(3).dividedBy(2)).plusSeconds(1));
        scoreAtItsTime(late);
        assertThat(caseOf(cases, first.getOrderId())).isNull();
        assertThat(caseOf(cases, late.getOrderId())).isNotNull();
    }

    private static long count(KeyValueStore<String, ?> store) {
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    /** Its event and payment with the order's own time as their timestamps, so stream time follows the orders. */
    private void scoreAtItsTime(Order order) {
        events.pipeInput(order.getOrderId(), event(order), order.getPlacedAt());
        payments.pipeInput(order.getOrderId(), payment(order.getOrderId(), null), order.getPlacedAt());
        assertThat(scores.readValuesToList()).as("a score for " + order.getOrderId()).hasSize(1);
    }

    private static FraudCase caseOf(WindowStore<String, FraudCase> cases, String orderId) {
        try (var it = cases.fetch(orderId, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
            return it.hasNext() ? it.next().value : null;
        }
    }

    private FraudScore scoreOf(Order order) {
        events.pipeInput(order.getOrderId(), event(order));
        payments.pipeInput(order.getOrderId(), payment(order.getOrderId(), null));
        List<FraudScore> all = scores.readValuesToList();
        assertThat(all).as("a score for " + order.getOrderId()).hasSize(1);
        return all.get(0);
    }

    private static void assertFired(FraudScore score, String rule, double weight) {
        assertThat(score.getReasons()).extracting(FraudReason::getRule).containsExactly(rule);
        assertThat(score.getScore()).isCloseTo(weight, within(1e-9));
        assertThat(score.getReasons().get(0).getDetail()).isNotBlank();
    }

    private Order order(String customer, String device, String ip, long totalMinor, Instant at) {
        return Order.newBuilder().setOrderId("o-" + (++orderCount)).setShopId(MITTE).setCustomerId(customer)
                .setLines(List.of(OrderLine.newBuilder().setMenuItemId("latte").setQuantity(1).setSize(ItemSize.MEDIUM)
                        .build()))
                .setStatus(OrderStatus.PLACED).setTotal(Amounts.of(totalMinor, "EUR"))
                .setPendingChecks(List.of(CheckType.FRAUD, CheckType.PAYMENT)).setDeviceId(device).setClientIp(ip)
                .setPlacedAt(at).setUpdatedAt(at).setVersion(2).build();
    }

    private static OrderEvent event(Order order) {
        return OrderEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOrderId(order.getOrderId())
                .setShopId(order.getShopId()).setFromStatus(OrderStatus.PLACED).setToStatus(OrderStatus.PLACED)
                .setOrder(order).setKind(OrderEventKind.CHECK).setOccurredAt(order.getPlacedAt()).build();
    }

    private static PaymentReceived payment(String orderId, String cardFingerprint) {
        return PaymentReceived.newBuilder().setPaymentId("p-" + orderId).setOrderId(orderId).setMethod(PaymentMethod.CARD)
                .setAmount(Amounts.of(450, "EUR")).setCardFingerprint(cardFingerprint).setReceivedAt(T0).build();
    }

    private static Customer customer(String id, Instant createdAt, int chargebacks) {
        return Customer.newBuilder().setCustomerId(id).setDisplayName(id).setCreatedAt(createdAt)
                .setChargebacks(chargebacks).build();
    }

}

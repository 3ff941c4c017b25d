package io.brewstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.inventory.StockUnit;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.topologies.reference.DemoData;

/** The accounting's rules on histories written by hand: one clean, and each way one can go wrong. */
class OrderLedgerTest {
    private static final String SHOP = "shop-a";
    private OrderLedger ledger;

    @BeforeEach
    void deliveredAndRecipes() {
        ledger = new OrderLedger(Set.of(SHOP));
        DemoData.recipes().forEach(ledger::recipe);
        ledger.delivery(StockDelivery.newBuilder().setDeliveryId("d1").setShopId(SHOP).setSupplier("s")
                .setDeliveredAt(Instant.EPOCH).setItems(List.of(
                        IngredientQuantity.newBuilder().setIngredientId("espresso-beans").setQuantity(1000)
                                .setUnit(StockUnit.GRAM).build(),
                        IngredientQuantity.newBuilder().setIngredientId("milk-dairy").setQuantity(5000)
                                .setUnit(StockUnit.MILLILITRE).build())).build());
        // a delivery of another shop is not this ledger's
        ledger.delivery(StockDelivery.newBuilder().setDeliveryId("d2").setShopId("shop-b").setSupplier("s")
                .setDeliveredAt(Instant.EPOCH).setItems(List.of()).build());
    }

    @Test
    void aPickedUpOrderConsumesAnOpenOneHoldsAndARejectedOneNeither() {
        place("picked");
        transitions("picked", OrderStatus.VALIDATED, OrderStatus.IN_PREPARATION, OrderStatus.READY, OrderStatus.PICKED_UP);
        place("open");
        transitions("open", OrderStatus.VALIDATED);
        place("rejected");
        transitions("rejected", OrderStatus.REJECTED);
        // one latte picked up (18 g, 200 ml consumed), one held (18 g, 200 ml reserved)
        level("espresso-beans", 982, 18);
        level("milk-dairy", 4800, 200);

        OrderLedger.Findings findings = ledger.findings();
        assertThat(ledger.open()).isEqualTo(1);
        assertThat(findings.notEnded()).isEqualTo(1);
        assertThat(findings.stockMismatches()).isEmpty();
        assertThat(findings.endedIn()).containsEntry(OrderStatus.PICKED_UP, 1L).containsEntry(OrderStatus.REJECTED, 1L);

        transitions("open", OrderStatus.CANCELLED);
        level("espresso-beans", 982, 0);
        level("milk-dairy", 4800, 0);
        assertThat(ledger.findings().clean()).as(ledger.findings().toString()).isTrue();
    }

    @Test
    void anOrderEndedTwiceAStatusEnteredTwiceAnEventRepeatedAndStockCountedTwiceAreEachFound() {
        place("twice");
        transitions("twice", OrderStatus.VALIDATED, OrderStatus.VALIDATED, OrderStatus.CANCELLED, OrderStatus.EXPIRED);
        OrderEvent repeated = event("once", OrderStatus.VALIDATED);
        place("once");
        ledger.event(repeated);
        ledger.event(repeated);
        transitions("once", OrderStatus.CANCELLED);
        level("espresso-beans", 1000, 18); // a reservation nobody holds
        level("milk-dairy", 5000, 0);

        OrderLedger.Findings findings = ledger.findings();
        assertThat(findings.endedMoreThanOnce()).isEqualTo(1);
        assertThat(findings.enteredAStatusTwice()).isEqualTo(2);
        assertThat(findings.duplicatedEventIds()).isEqualTo(1);
        assertThat(findings.stockMismatches()).containsExactly(
                "shop-a:espresso-beans: shows 1000 on hand, 18 reserved; the orders say 1000 on hand, 0 reserved");
        assertThat(findings.clean()).isFalse();
    }

    @Test
    void eventsOfAnOrderNobodyPlacedAreFound() {
        transitions("ghost", OrderStatus.VALIDATED, OrderStatus.CANCELLED);
        level("espresso-beans", 1000, 0);
        level("milk-dairy", 5000, 0);
        assertThat(ledger.findings().withoutCommand()).isEqualTo(1);
    }

    @Test
    void aRecordOfTheShopsThatCannotBeDecodedIsAFinding() {
        level("espresso-beans", 1000, 0);
        level("milk-dairy", 5000, 0);
        assertThat(ledger.findings().clean()).isTrue();
        ledger.undecodable("orders.events-2@17: SerializationException");
        assertThat(ledger.findings().clean()).isFalse();
        assertThat(ledger.findings().undecodable()).containsExactly("orders.events-2@17: SerializationException");
    }

    @Test
    void paymentsCountOnceAndWhatCameInLessWhatWentOutIsWhatTheOrderKeeps() {
        level("espresso-beans", 982, 18);
        level("milk-dairy", 4800, 200);
        place("paid");
        ledger.event(event("paid", OrderStatus.PICKED_UP, 450, 0));
        ledger.payment(payment("paid", "p-1", 450));
        ledger.payment(payment("paid", "p-1", 450)); // delivered twice: one payment
        place("paid-twice");
        ledger.event(event("paid-twice", OrderStatus.VALIDATED, 450, 450));
        ledger.payment(payment("paid-twice", "p-2", 450));
        ledger.payment(payment("paid-twice", "p-3", 450));
        ledger.refund(refund("paid-twice", "r-1", 450));
        place("cancelled");
        ledger.event(event("cancelled", OrderStatus.CANCELLED, 450, 450));
        ledger.payment(payment("cancelled", "p-4", 450));
        ledger.refund(refund("cancelled", "r-2", 450));

        OrderLedger.Findings findings = ledger.findings();
        assertThat(findings.payments()).isEqualTo(4);
        assertThat(findings.refunds()).isEqualTo(2);
        assertThat(findings.moneyMismatches()).as(findings.toString()).isEmpty();
        assertThat(findings.stockMismatches()).isEmpty();

        // the same refund decided twice (a transaction's output seen twice) takes money out that nobody owed
        ledger.refund(refund("cancelled", "r-3", 450));
        assertThat(ledger.findings().moneyMismatches()).singleElement().asString()
                .startsWith("cancelled (CANCELLED): 450 received, 900 refunded (450 by the order's record), keeps 0");
        assertThat(ledger.findings().clean()).isFalse();
    }

    private static OrderEvent event(String orderId, OrderStatus status, long paid, long refunded) {
        OrderEvent event = event(orderId, status);
        event.getOrder().setAmountPaid(io.brewstream.schemas.money.Amounts.of(paid, "EUR"));
        event.getOrder().setAmountRefunded(io.brewstream.schemas.money.Amounts.of(refunded, "EUR"));
        return event;
    }

    private static io.brewstream.schemas.payments.PaymentReceived payment(String orderId, String paymentId, long amount) {
        return io.brewstream.schemas.payments.PaymentReceived.newBuilder().setPaymentId(paymentId).setOrderId(orderId)
                .setMethod(io.brewstream.schemas.payments.PaymentMethod.CARD)
                .setAmount(io.brewstream.schemas.money.Amounts.of(amount, "EUR")).setReceivedAt(Instant.EPOCH).build();
    }

    private static io.brewstream.schemas.payments.Refund refund(String orderId, String refundId, long amount) {
        return io.brewstream.schemas.payments.Refund.newBuilder().setRefundId(refundId).setOrderId(orderId)
                .setPaymentId("p").setMethod(io.brewstream.schemas.payments.PaymentMethod.CARD)
                .setAmount(io.brewstream.schemas.money.Amounts.of(amount, "EUR")).setReason("r")
                .setRequestedAt(Instant.EPOCH).build();
    }

    private void place(String orderId) {
        ledger.command(OrderCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setOrderId(orderId)
                .setChannel(Channel.APP).setIssuedAt(Instant.EPOCH).setCommand(PlaceOrder.newBuilder().setShopId(SHOP)
                        .setCustomerId("c").setLines(List.of(latte())).setRequestFingerprint("f").build()).build());
    }

    private void transitions(String orderId, OrderStatus... statuses) {
        for (OrderStatus status : statuses) {
            ledger.event(event(orderId, status));
        }
    }

    private static OrderEvent event(String orderId, OrderStatus status) {
        Order order = Order.newBuilder().setOrderId(orderId).setShopId(SHOP).setCustomerId("c").setLines(List.of(latte()))
                .setStatus(status).setPendingChecks(List.<CheckType>of()).setPlacedAt(Instant.EPOCH)
                .setUpdatedAt(Instant.EPOCH).setVersion(1).build();
        return OrderEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOrderId(orderId).setShopId(SHOP)
                .setToStatus(status).setKind(OrderEventKind.TRANSITION).setOrder(order).setOccurredAt(Instant.EPOCH).build();
    }

    private static OrderLine latte() {
        return OrderLine.newBuilder().setMenuItemId("latte").setQuantity(1).setSize(ItemSize.MEDIUM).build();
    }

    private void level(String ingredient, long onHand, long reserved) {
        ledger.stockLevel(StockLevel.newBuilder().setShopId(SHOP).setIngredientId(ingredient)
                .setUnit(ingredient.equals("milk-dairy") ? StockUnit.MILLILITRE : StockUnit.GRAM).setOnHand(onHand)
                .setReserved(reserved).setLowStockThreshold(0).setUpdatedAt(Instant.EPOCH).build());
    }
}

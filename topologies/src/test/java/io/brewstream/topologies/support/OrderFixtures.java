package io.brewstream.topologies.support;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.orders.CancelOrder;
import io.brewstream.schemas.orders.ClaimOrder;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.MarkReady;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.orders.StartPreparation;

/** Order commands for tests. */
public final class OrderFixtures {
    public static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

    private OrderFixtures() {
    }

    /** An order id as the ingress makes it (see OrderIds), for an order of berlin-mitte named {@code name} here. */
    public static String id(String name) {
        return io.brewstream.schemas.ids.OrderIds.forRequest("berlin-mitte", "cust-1", name);
    }

    /** An order id of another shop, as the ingress makes it. */
    public static String id(String shopId, String name) {
        return io.brewstream.schemas.ids.OrderIds.forRequest(shopId, "cust-1", name);
    }

    public static OrderCommand place(String orderId, String fingerprint) {
        return command(orderId, PlaceOrder.newBuilder()
                .setShopId("berlin-mitte")
                .setCustomerId("cust-1")
                .setLines(List.of(OrderLine.newBuilder().setMenuItemId("latte").setQuantity(2)
                        .setSize(ItemSize.LARGE).setOptions(List.of("oat")).build()))
                .setIdempotencyKey("key-" + orderId)
                .setRequestFingerprint(fingerprint)
                .build());
    }

    public static OrderCommand cancel(String orderId) {
        return command(orderId, CancelOrder.newBuilder().setReason("changed my mind").setRequestedBy("cust-1").build());
    }

    public static OrderCommand start(String orderId) {
        return command(orderId, StartPreparation.newBuilder().setBaristaId("barista-1").build());
    }

    /** A counted payment taken back (its block left the chain). */
    public static OrderCommand revert(String orderId, String paymentId, long amountMinor) {
        return command(orderId, io.brewstream.schemas.orders.RevertPayment.newBuilder().setPaymentId(paymentId)
                .setAmount(io.brewstream.schemas.money.Amounts.of(amountMinor, "EUR")).setReason("reorganised").build());
    }

    public static OrderCommand ready(String orderId) {
        return command(orderId, MarkReady.newBuilder().setBaristaId("barista-1").build());
    }

    public static OrderCommand claim(String orderId, String code) {
        return command(orderId, ClaimOrder.newBuilder().setPickupCode(code).build());
    }

    public static ValidationResult passed(String orderId, CheckType check) {
        return result(orderId, check, true, List.of()).build();
    }

    public static ValidationResult failed(String orderId, CheckType check, String reason) {
        return result(orderId, check, false, List.of(reason)).build();
    }

    /** The pricing check's pass: two large oat lattes at 4.20 EUR. */
    public static ValidationResult priced(String orderId, long unitPriceMinor) {
        Money unit = Amounts.of(unitPriceMinor, "EUR");
        return result(orderId, CheckType.PRICING, true, List.of())
                .setPricedLines(List.of(OrderLine.newBuilder().setMenuItemId("latte").setQuantity(2)
                        .setSize(ItemSize.LARGE).setOptions(List.of("oat")).setUnitPrice(unit).build()))
                .setTotal(Amounts.times(unit, 2))
                .build();
    }

    /** Cash, recorded by staff: it may pay part of an order. */
    public static PaymentReceived payment(String orderId, String paymentId, long amountMinor) {
        return payment(orderId, paymentId, amountMinor, PaymentMethod.CASH);
    }

    /** A card payment, as the payment provider's webhook records it. */
    public static PaymentReceived cardPayment(String orderId, String paymentId, long amountMinor) {
        return payment(orderId, paymentId, amountMinor, PaymentMethod.CARD);
    }

    private static PaymentReceived payment(String orderId, String paymentId, long amountMinor, PaymentMethod method) {
        return PaymentReceived.newBuilder()
                .setPaymentId(paymentId)
                .setOrderId(orderId)
                .setMethod(method)
                .setAmount(Amounts.of(amountMinor, "EUR"))
                .setReceivedAt(T0)
                .build();
    }

    private static ValidationResult.Builder result(String orderId, CheckType check, boolean passed, List<String> reasons) {
        return ValidationResult.newBuilder().setOrderId(orderId).setCheck(check).setPassed(passed)
                .setReasons(reasons).setCheckedAt(T0);
    }

    private static OrderCommand command(String orderId, Object body) {
        return OrderCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setOrderId(orderId)
                .setChannel(Channel.APP)
                .setIssuedAt(T0)
                .setCommand(body)
                .build();
    }
}

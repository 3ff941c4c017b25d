package io.brewstream.topologies.orders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.CancelOrder;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.ClaimOrder;
import io.brewstream.schemas.orders.MarkReady;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.orders.RevertPayment;
import io.brewstream.schemas.orders.StartPreparation;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;

/**
 * The order life cycle: what a command, a check result, a payment or the clock does to an order. Pure: it
 * decides, the processor stores and emits.
 *
 * <pre>
 * PLACED --all required checks passed--> VALIDATED --start--> IN_PREPARATION --ready--> READY --claim--> PICKED_UP
 * PLACED --a check failed--> REJECTED;  PLACED --not validated in time--> EXPIRED
 * PLACED | VALIDATED | IN_PREPARATION --cancel--> CANCELLED
 * </pre>
 */
final class OrderLifecycle {
    static final Set<OrderStatus> OPEN =
            EnumSet.of(OrderStatus.PLACED, OrderStatus.VALIDATED, OrderStatus.IN_PREPARATION, OrderStatus.READY);
    private static final Set<OrderStatus> CANCELLABLE =
            EnumSet.of(OrderStatus.PLACED, OrderStatus.VALIDATED, OrderStatus.IN_PREPARATION);

    private final OrdersSettings settings;
    private final Supplier<String> pickupCodes;

    OrderLifecycle(OrdersSettings settings, Supplier<String> pickupCodes) {
        this.settings = settings;
        this.pickupCodes = pickupCodes;
    }

    // ---- commands

    Transition onCommand(Order current, OrderCommand command, Instant now) {
        Object body = command.getCommand();
        if (body instanceof PlaceOrder place) {
            return place(current, command, place, now);
        }
        if (current == null) {
            return Transition.refused(null, "order " + command.getOrderId() + " does not exist");
        }
        if (body instanceof CancelOrder cancel) {
            return cancel(current, cancel, now);
        }
        if (body instanceof StartPreparation) {
            return move(current, OrderStatus.VALIDATED, OrderStatus.IN_PREPARATION, now, "start preparing");
        }
        if (body instanceof MarkReady) {
            Transition t = move(current, OrderStatus.IN_PREPARATION, OrderStatus.READY, now, "mark ready");
            if (t.accepted()) {
                t.order().setPickupCode(pickupCodes.get());
                t.order().setReadyAt(now);
            }
            return t;
        }
        if (body instanceof ClaimOrder claim) {
            return claim(current, claim, now);
        }
        if (body instanceof RevertPayment revert) {
            return revert(current, revert, now);
        }
        throw new IllegalArgumentException("unknown order command " + body.getClass().getName());
    }

    private Transition place(Order current, OrderCommand command, PlaceOrder place, Instant now) {
        if (current != null) {
            if (place.getRequestFingerprint().equals(current.getRequestFingerprint())) {
                return Transition.IGNORED;
            }
            return Transition.refused(current, "idempotency key '" + place.getIdempotencyKey()
                    + "' was already used for a different order request");
        }
        Order order = Order.newBuilder()
                .setOrderId(command.getOrderId())
                .setShopId(place.getShopId())
                .setCustomerId(place.getCustomerId())
                .setChannel(command.getChannel())
                .setLines(new ArrayList<>(place.getLines()))
                .setStatus(OrderStatus.PLACED)
                .setPendingChecks(new ArrayList<>(settings.requiredChecks()))
                .setIdempotencyKey(place.getIdempotencyKey())
                .setRequestFingerprint(place.getRequestFingerprint())
                .setDeviceId(place.getDeviceId())
                .setClientIp(place.getClientIp())
                .setNote(place.getNote())
                .setPlacedAt(command.getIssuedAt())
                .setUpdatedAt(now)
                .setExpiresAt(command.getIssuedAt().plus(settings.validationTimeout()))
                .setVersion(1L)
                .build();
        if (order.getPendingChecks().isEmpty()) {
            order.setStatus(OrderStatus.VALIDATED); // nothing to check
            order.setExpiresAt(null);
        }
        return Transition.moved(order, null);
    }

    /**
     * A newly placed order with the checks the orders task makes itself, in the same step (pricing, from the
     * task's own reference data): one transition from nothing to where those results leave it (PLACED with the
     * other checks still to come, VALIDATED, or REJECTED), so one event and one write record the placement.
     *
     * @param checks the checks made in the task, by the check they answer, in the order they run
     */
    Transition checkedInTask(Transition placed, Map<CheckType, Function<Order, ValidationResult>> checks, Instant now) {
        if (placed.isIgnored() || !placed.accepted() || placed.from() != null || placed.order() == null) {
            return placed;
        }
        Transition last = placed;
        for (Map.Entry<CheckType, Function<Order, ValidationResult>> check : checks.entrySet()) {
            Order order = last.order();
            if (order.getStatus() != OrderStatus.PLACED || !order.getPendingChecks().contains(check.getKey())) {
                continue;
            }
            ValidationResult result = check.getValue().apply(order);
            if (result == null) {
                continue; // the check waits for something else (the FRAUD check for the first payment)
            }
            if (result.getCheck() != check.getKey()) {
                throw new IllegalStateException("the " + check.getKey() + " check answered for " + result.getCheck());
            }
            last = onValidation(order, result, now);
        }
        if (last == placed) {
            return placed;
        }
        Order order = Order.newBuilder(last.order()).setVersion(1L).build(); // one change recorded: the placement
        return Transition.moved(order, null, last.reasons(), last.refund());
    }

    /**
     * A step that changed an order (a payment counted) followed, in the same step, by a check's result it made
     * possible (the FRAUD check that waited for the first payment): one transition, one event, one version.
     */
    Transition thenChecked(Transition first, ValidationResult result, Instant now) {
        if (first.isIgnored() || !first.accepted() || first.order() == null) {
            return first;
        }
        Transition second = onValidation(first.order(), result, now);
        if (second.isIgnored()) {
            return first;
        }
        Order order = Order.newBuilder(second.order()).setVersion(first.order().getVersion()).build();
        boolean moved = order.getStatus() != first.from();
        List<String> reasons = new ArrayList<>(first.reasons());
        reasons.addAll(second.reasons());
        return new Transition(order, first.from(), moved ? OrderEventKind.TRANSITION : first.kind(), true, true, reasons,
                second.refund() != null ? second.refund() : first.refund());
    }

    private Transition cancel(Order current, CancelOrder cancel, Instant now) {
        if (!CANCELLABLE.contains(current.getStatus())) {
            return Transition.refused(current, "cannot cancel an order that is " + current.getStatus());
        }
        return close(current, OrderStatus.CANCELLED,
                List.of("cancelled by " + cancel.getRequestedBy() + ": " + cancel.getReason()), now);
    }

    private Transition claim(Order current, ClaimOrder claim, Instant now) {
        if (current.getStatus() != OrderStatus.READY) {
            return Transition.refused(current, "cannot claim an order that is " + current.getStatus());
        }
        if (current.getFailedClaims() >= settings.maxFailedClaims()) {
            return Transition.refused(current, "claim locked after " + current.getFailedClaims()
                    + " wrong pickup codes; ask the barista");
        }
        if (codesMatch(current.getPickupCode(), claim.getPickupCode())) {
            return Transition.moved(advance(current, OrderStatus.PICKED_UP, now), OrderStatus.READY);
        }
        Order counted = touch(current, now);
        counted.setFailedClaims(current.getFailedClaims() + 1);
        return Transition.refusedButRecorded(counted, OrderEventKind.REFUSED, "wrong pickup code ("
                + counted.getFailedClaims() + " of " + settings.maxFailedClaims() + " tries)", null);
    }

    private Transition move(Order current, OrderStatus from, OrderStatus to, Instant now, String action) {
        if (current.getStatus() != from) {
            return Transition.refused(current, "cannot " + action + " an order that is " + current.getStatus());
        }
        return Transition.moved(advance(current, to, now), from);
    }

    // ---- check results

    Transition onValidation(Order current, ValidationResult result, Instant now) {
        if (current == null || current.getStatus() != OrderStatus.PLACED
                || !current.getPendingChecks().contains(result.getCheck())) {
            return Transition.IGNORED; // a repeat, or too late to matter: the order moved on
        }
        if (!result.getPassed()) {
            Order rejected = touch(current, now);
            rejected.setSuggestedShopId(result.getSuggestedShopId());
            List<String> reasons = result.getReasons().stream()
                    .map(reason -> result.getCheck().name().toLowerCase() + ": " + reason)
                    .collect(Collectors.toList());
            if (reasons.isEmpty()) {
                reasons = List.of(result.getCheck().name().toLowerCase() + " check failed");
            }
            return close(rejected, OrderStatus.REJECTED, reasons, now);
        }
        Order next = touch(current, now);
        List<CheckType> pending = new ArrayList<>(current.getPendingChecks());
        pending.remove(result.getCheck());
        next.setPendingChecks(pending);
        if (result.getCheck() == CheckType.PRICING) {
            next.setLines(new ArrayList<>(result.getPricedLines()));
            next.setTotal(result.getTotal());
        }
        return validateIfComplete(next, OrderEventKind.CHECK);
    }

    // ---- payments

    Transition onPayment(Order current, PaymentReceived payment, Instant now) {
        if (current == null) {
            return Transition.refusedWithRefund(null, "payment " + payment.getPaymentId() + " names order "
                    + payment.getOrderId() + ", which does not exist; refunded", payment.getAmount());
        }
        if (current.getPaymentIds().contains(payment.getPaymentId())) {
            return Transition.IGNORED;
        }
        if (current.getPaymentIds().size() >= settings.maxPaymentsPerOrder()) {
            // refunded but not remembered: the order's record stays bounded however many arrive
            return Transition.refusedWithRefund(current, "payment " + payment.getPaymentId() + " refunded: the order"
                    + " has counted " + settings.maxPaymentsPerOrder() + " payments, the most it takes", payment.getAmount());
        }
        Order next = touch(current, now);
        List<String> paymentIds = new ArrayList<>(current.getPaymentIds());
        paymentIds.add(payment.getPaymentId());
        next.setPaymentIds(paymentIds);
        Money expected = current.getTotal() != null ? current.getTotal() : current.getAmountPaid();
        if (expected != null && !Amounts.sameCurrency(expected, payment.getAmount())) {
            return refundPayment(next, payment, "paid in " + payment.getAmount().getCurrency() + " for an order in "
                    + expected.getCurrency());
        }
        if (!OPEN.contains(current.getStatus())) {
            return refundPayment(next, payment, "the order is " + current.getStatus());
        }
        if (payment.getMethod() == PaymentMethod.CARD && current.getTotal() != null
                && Amounts.isPositive(outstanding(current))
                && payment.getAmount().getAmountMinor() != outstanding(current).getAmountMinor()) {
            // a card is charged for exactly what is owed: another amount is a stale or tampered payment intent
            return refundPayment(next, payment, "a card payment of " + payment.getAmount().getAmountMinor()
                    + " does not match the " + outstanding(current).getAmountMinor() + " owed");
        }
        if (current.getTotal() != null && Amounts.covers(current.getAmountPaid(), current.getTotal())) {
            return refundPayment(next, payment, "the order is paid in full already");
        }
        next.setAmountPaid(Amounts.plus(current.getAmountPaid(), payment.getAmount()));
        next.setLastPaymentMethod(payment.getMethod());
        if (current.getStatus() != OrderStatus.PLACED) {
            return Transition.updated(next, OrderEventKind.PAYMENT, List.of());
        }
        return validateIfComplete(next, OrderEventKind.PAYMENT);
    }

    /**
     * A counted payment is gone (its block left the chain). Waiting for checks: it no longer counts. Validated but
     * not yet prepared: the order waits for its payment again, with a new deadline. Already being prepared or
     * later: it cannot be taken back, so the order is flagged for the staff.
     */
    private Transition revert(Order current, RevertPayment revert, Instant now) {
        if (!current.getPaymentIds().contains(revert.getPaymentId())) {
            return Transition.refused(current, "payment " + revert.getPaymentId() + " was not counted on this order");
        }
        String why = "payment " + revert.getPaymentId() + " reverted: " + revert.getReason();
        if (!EnumSet.of(OrderStatus.PLACED, OrderStatus.VALIDATED).contains(current.getStatus())) {
            Order flagged = touch(current, now);
            return Transition.updated(flagged, OrderEventKind.FLAGGED, List.of(why
                    + (OPEN.contains(current.getStatus()) ? "; preparation had begun: staff decide" : "")));
        }
        Order next = touch(current, now);
        List<String> paymentIds = new ArrayList<>(current.getPaymentIds());
        paymentIds.remove(revert.getPaymentId()); // the same payment may come back, confirmed on the new branch
        next.setPaymentIds(paymentIds);
        next.setAmountPaid(Amounts.of(Math.max(0, (current.getAmountPaid() == null ? 0
                : current.getAmountPaid().getAmountMinor()) - revert.getAmount().getAmountMinor()),
                revert.getAmount().getCurrency()));
        if (current.getTotal() != null && !Amounts.covers(next.getAmountPaid(), current.getTotal())
                && !current.getPendingChecks().contains(CheckType.PAYMENT)) {
            List<CheckType> pending = new ArrayList<>(current.getPendingChecks());
            pending.add(CheckType.PAYMENT);
            next.setPendingChecks(pending);
        }
        if (current.getStatus() == OrderStatus.VALIDATED && next.getPendingChecks().contains(CheckType.PAYMENT)) {
            next.setStatus(OrderStatus.PLACED);
            next.setExpiresAt(now.plus(settings.validationTimeout()));
            return Transition.moved(next, OrderStatus.VALIDATED, List.of(why), null);
        }
        return Transition.updated(next, OrderEventKind.PAYMENT, List.of(why));
    }

    /** What is still owed on a priced order. */
    private static Money outstanding(Order order) {
        long paid = order.getAmountPaid() == null ? 0 : order.getAmountPaid().getAmountMinor();
        return Amounts.of(order.getTotal().getAmountMinor() - paid, order.getTotal().getCurrency());
    }

    private static Transition refundPayment(Order recorded, PaymentReceived payment, String why) {
        recorded.setAmountRefunded(Amounts.plus(recorded.getAmountRefunded(), payment.getAmount()));
        return Transition.refusedButRecorded(recorded, OrderEventKind.PAYMENT,
                "payment " + payment.getPaymentId() + " refunded: " + why, payment.getAmount());
    }

    // ---- the clock

    /** The moment this order next needs the clock's attention, or null. */
    Instant deadline(Order order) {
        if (order.getStatus() == OrderStatus.PLACED) {
            return order.getExpiresAt();
        }
        if (!OPEN.contains(order.getStatus())) {
            return order.getUpdatedAt().plus(settings.closedRetention()); // then it is forgotten
        }
        if (order.getStatus() == OrderStatus.READY && order.getUnclaimedSince() == null && order.getReadyAt() != null) {
            return order.getReadyAt().plus(settings.claimTimeout());
        }
        return null;
    }

    /** A closed order is kept for {@code closedRetention} after its last change, then deleted from the store. */
    boolean forgettable(Order order, Instant now) {
        return !OPEN.contains(order.getStatus()) && !order.getUpdatedAt().plus(settings.closedRetention()).isAfter(now);
    }

    Transition onDeadline(Order current, Instant now) {
        Instant deadline = current == null ? null : deadline(current);
        if (deadline == null || deadline.isAfter(now) || !OPEN.contains(current.getStatus())) {
            return Transition.IGNORED;
        }
        if (current.getStatus() == OrderStatus.PLACED) {
            String waitingFor = current.getPendingChecks().stream().map(CheckType::name).collect(Collectors.joining(", "));
            return close(current, OrderStatus.EXPIRED, List.of("not validated within "
                    + settings.validationTimeout() + "; still waiting for " + waitingFor), now);
        }
        Order flagged = touch(current, now);
        flagged.setUnclaimedSince(now);
        return Transition.updated(flagged, OrderEventKind.FLAGGED,
                List.of("not claimed within " + settings.claimTimeout() + " of being ready"));
    }

    // ---- helpers

    /**
     * Validates the order (already a changed copy) when no check is pending any more; a payment that covers
     * the priced total passes the PAYMENT check.
     */
    private static Transition validateIfComplete(Order order, OrderEventKind kindIfStillPending) {
        List<CheckType> pending = new ArrayList<>(order.getPendingChecks());
        if (pending.contains(CheckType.PAYMENT) && order.getTotal() != null
                && Amounts.covers(order.getAmountPaid(), order.getTotal())) {
            pending.remove(CheckType.PAYMENT);
            order.setPendingChecks(pending);
        }
        if (!pending.isEmpty()) {
            return Transition.updated(order, kindIfStillPending, List.of());
        }
        order.setStatus(OrderStatus.VALIDATED);
        order.setExpiresAt(null);
        return Transition.moved(order, OrderStatus.PLACED);
    }

    /** Moves to a final status, refunding what was paid. */
    private static Transition close(Order current, OrderStatus to, List<String> reasons, Instant now) {
        Order closed = advance(current, to, now);
        closed.setReasons(reasons);
        closed.setExpiresAt(null);
        Money refund = null;
        if (Amounts.isPositive(current.getAmountPaid())) {
            refund = current.getAmountPaid();
            closed.setAmountRefunded(Amounts.plus(current.getAmountRefunded(), refund));
        }
        return Transition.moved(closed, current.getStatus(), reasons, refund);
    }

    private static Order advance(Order current, OrderStatus to, Instant now) {
        Order next = touch(current, now);
        next.setStatus(to);
        return next;
    }

    private static Order touch(Order current, Instant now) {
        return Order.newBuilder(current).setUpdatedAt(now).setVersion(current.getVersion() + 1).build();
    }

    private static boolean codesMatch(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.trim().toUpperCase().getBytes(StandardCharsets.UTF_8));
    }
}

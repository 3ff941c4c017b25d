package io.brewstream.topologies.orders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.brewstream.schemas.orders.CancelOrder;
import io.brewstream.schemas.orders.ClaimOrder;
import io.brewstream.schemas.orders.MarkReady;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.orders.StartPreparation;

/**
 * The order life cycle: which command may move an order from which status to which. Pure: it decides, the
 * processor stores and emits.
 */
final class OrderStateMachine {
    private static final Set<OrderStatus> CANCELLABLE =
            EnumSet.of(OrderStatus.PLACED, OrderStatus.VALIDATED, OrderStatus.IN_PREPARATION);

    private final OrdersSettings settings;
    private final Supplier<String> pickupCodes;

    OrderStateMachine(OrdersSettings settings, Supplier<String> pickupCodes) {
        this.settings = settings;
        this.pickupCodes = pickupCodes;
    }

    Transition apply(Order current, OrderCommand command, Instant now) {
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
            }
            return t;
        }
        if (body instanceof ClaimOrder claim) {
            return claim(current, claim, now);
        }
        throw new IllegalArgumentException("unknown order command " + body.getClass().getName());
    }

    private Transition place(Order current, OrderCommand command, PlaceOrder place, Instant now) {
        if (current != null) {
            if (place.getRequestFingerprint().equals(current.getRequestFingerprint())) {
                return Transition.DUPLICATE;
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
                .setVersion(1L)
                .build();
        return Transition.changed(order, null, List.of());
    }

    private Transition cancel(Order current, CancelOrder cancel, Instant now) {
        if (!CANCELLABLE.contains(current.getStatus())) {
            return Transition.refused(current, "cannot cancel an order that is " + current.getStatus());
        }
        Order next = advance(current, OrderStatus.CANCELLED, now);
        List<String> reasons = List.of("cancelled by " + cancel.getRequestedBy() + ": " + cancel.getReason());
        next.setReasons(reasons);
        return Transition.changed(next, current.getStatus(), reasons);
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
            return Transition.changed(advance(current, OrderStatus.PICKED_UP, now), OrderStatus.READY, List.of());
        }
        Order counted = Order.newBuilder(current)
                .setFailedClaims(current.getFailedClaims() + 1)
                .setUpdatedAt(now)
                .setVersion(current.getVersion() + 1)
                .build();
        return Transition.refusedButCounted(counted, OrderStatus.READY, "wrong pickup code (" + counted.getFailedClaims()
                + " of " + settings.maxFailedClaims() + " tries)");
    }

    private Transition move(Order current, OrderStatus from, OrderStatus to, Instant now, String action) {
        if (current.getStatus() != from) {
            return Transition.refused(current, "cannot " + action + " an order that is " + current.getStatus());
        }
        return Transition.changed(advance(current, to, now), from, List.of());
    }

    private static Order advance(Order current, OrderStatus to, Instant now) {
        return Order.newBuilder(current)
                .setStatus(to)
                .setUpdatedAt(now)
                .setVersion(current.getVersion() + 1)
                .build();
    }

    private static boolean codesMatch(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.trim().toUpperCase().getBytes(StandardCharsets.UTF_8));
    }
}

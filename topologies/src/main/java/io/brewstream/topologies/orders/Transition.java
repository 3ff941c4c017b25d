package io.brewstream.topologies.orders;

import java.util.List;

import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderStatus;

/**
 * What an input did to an order.
 *
 * @param order        the order afterwards (null if the input named an unknown order)
 * @param from         status before (null if the order did not exist)
 * @param kind         what sort of event to emit
 * @param accepted     whether the input was carried out; a refused one may still change the order
 *                     (a wrong pickup code is counted, a late payment recorded)
 * @param orderChanged whether the stored order must be written
 * @param reasons      why it was refused, rejected, cancelled, expired or flagged
 * @param refund       money to give back, or null
 */
record Transition(Order order, OrderStatus from, OrderEventKind kind, boolean accepted, boolean orderChanged,
        List<String> reasons, Money refund) {

    /** A repeat of something already applied, or a result nobody waits for any more: nothing to do. */
    static final Transition IGNORED = new Transition(null, null, OrderEventKind.TRANSITION, true, false, List.of(), null);

    static Transition moved(Order order, OrderStatus from, List<String> reasons, Money refund) {
        return new Transition(order, from, OrderEventKind.TRANSITION, true, true, reasons, refund);
    }

    static Transition moved(Order order, OrderStatus from) {
        return moved(order, from, List.of(), null);
    }

    /** The order changed but its status did not (a check passed, a payment counted, a flag set). */
    static Transition updated(Order order, OrderEventKind kind, List<String> reasons) {
        return new Transition(order, order.getStatus(), kind, true, true, reasons, null);
    }

    static Transition refused(Order unchanged, String reason) {
        return new Transition(unchanged, unchanged == null ? null : unchanged.getStatus(), OrderEventKind.REFUSED,
                false, false, List.of(reason), null);
    }

    static Transition refusedButRecorded(Order updated, OrderEventKind kind, String reason, Money refund) {
        return new Transition(updated, updated.getStatus(), kind, false, true, List.of(reason), refund);
    }

    static Transition refusedWithRefund(Order unchanged, String reason, Money refund) {
        return new Transition(unchanged, unchanged == null ? null : unchanged.getStatus(), OrderEventKind.REFUSED,
                false, false, List.of(reason), refund);
    }

    boolean isIgnored() {
        return this == IGNORED;
    }
}

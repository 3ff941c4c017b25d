package io.brewstream.topologies.orders;

import java.util.List;

import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderStatus;

/**
 * What a command did to an order.
 *
 * @param order        the order afterwards (null if the command named an unknown order)
 * @param from         status before (null if the order did not exist)
 * @param accepted     whether the command was carried out; a refused one may still change the order
 *                     (a wrong pickup code is counted)
 * @param orderChanged whether the stored order must be written
 * @param reasons      why it was refused, rejected or cancelled
 */
record Transition(Order order, OrderStatus from, boolean accepted, boolean orderChanged, List<String> reasons) {
    /** A repeat of a command already carried out: nothing to store, nothing to emit. */
    static final Transition DUPLICATE = new Transition(null, null, true, false, List.of());

    static Transition changed(Order order, OrderStatus from, List<String> reasons) {
        return new Transition(order, from, true, true, reasons);
    }

    static Transition refused(Order unchanged, String reason) {
        return new Transition(unchanged, unchanged == null ? null : unchanged.getStatus(), false, false, List.of(reason));
    }

    static Transition refusedButCounted(Order updated, OrderStatus from, String reason) {
        return new Transition(updated, from, false, true, List.of(reason));
    }

    boolean isDuplicate() {
        return this == DUPLICATE;
    }
}

package io.brewstream.topologies.orders;

/** Names of the orders topology's state stores, which interactive queries read. */
public final class OrderStores {
    /** Current state of every order, by order id. */
    public static final String ORDERS = "orders";

    private OrderStores() {
    }
}

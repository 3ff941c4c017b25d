package io.brewstream.topologies.orders;

/** Names of the orders topology's state stores, which interactive queries read. */
public final class OrderStores {
    /** Current state of every order, by order id. */
    public static final String ORDERS = "orders";
    /** Open orders by shop: key {@code shopId|orderId}, value the order; a shop's queue is a prefix scan. */
    public static final String OPEN_ORDERS_BY_SHOP = "open-orders-by-shop";
    /** When an order next needs the clock: key {@code <epoch millis, 13 digits>|orderId}, value the order id. */
    static final String DEADLINES = "order-deadlines";

    private OrderStores() {
    }

    /** The key of an order in {@link #OPEN_ORDERS_BY_SHOP}. */
    public static String shopKey(String shopId, String orderId) {
        return shopId + "|" + orderId;
    }

    /** The prefix of a shop's keys in {@link #OPEN_ORDERS_BY_SHOP}. */
    public static String shopPrefix(String shopId) {
        return shopId + "|";
    }
}

package io.brewstream.topologies.inventory;

/** Names of the inventory topology's state stores, which interactive queries read. */
public final class InventoryStores {
    /** Stock per shop and ingredient: key {@code shopId:ingredientId}; a shop's stock is a prefix scan. */
    public static final String STOCK = "stock";
    /** Each order's reservation, by order id (in the partition of the order's shop). */
    public static final String RESERVATIONS = "reservations";
    /** Deliveries already added, by delivery id, so a redelivered one is not counted twice. */
    static final String DELIVERIES_SEEN = "deliveries-seen";

    private InventoryStores() {
    }
}

package io.brewstream.ingress.orders;

import java.util.List;

/**
 * The JSON body of {@code POST /api/v1/orders}. Boxed types so a missing field is told apart from zero;
 * unknown fields are refused. The customer is not in it: it comes from the caller's token.
 */
public record PlaceOrderRequest(
        String shopId,
        List<Item> items,
        String idempotencyKey,
        String deviceId,
        String note) {

    public record Item(String menuItemId, Integer quantity, String size, List<String> options) {
    }
}

package io.brewstream.ingress.orders;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Order ids. With an idempotency key the id is derived from the customer and the key, so the same request
 * sent twice names the same order and the orders topology keeps only the first; without one it is random.
 */
final class OrderIds {
    private OrderIds() {
    }

    static String forRequest(String customerId, String idempotencyKey) {
        if (idempotencyKey == null) {
            return UUID.randomUUID().toString();
        }
        byte[] name = ("brewstream/order/" + customerId + "/" + idempotencyKey).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(name).toString();
    }
}

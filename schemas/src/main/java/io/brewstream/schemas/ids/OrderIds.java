package io.brewstream.schemas.ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Order ids, {@code <shopId>:<nonce><owner tag>}: the shop an order is for, 32 hex digits that make it unique, and
 * 16 hex digits bound to the customer who placed it. Whoever writes a command on an existing order (the ingress,
 * the bot gateway, the chain watcher) can tell the order's shop and check its owner from the id alone, without
 * reading a store: a customer may act only on ids whose tag matches their own customer id, staff only on their
 * shops' ids. The tag is a hash anyone can compute, so it proves nothing about who may see the order; it only
 * lets a caller that already knows its own customer id check that an id is theirs.
 *
 * <p>With an idempotency key the nonce is derived from the customer and the key, so the same request sent twice
 * names the same order and the orders topology keeps only the first; without one it is random.
 */
public final class OrderIds {
    private static final Pattern SHOP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final Pattern ORDER = Pattern.compile("(" + SHOP.pattern() + "):([0-9a-f]{32})([0-9a-f]{16})");
    /** The longest order id: a 64-character shop id, a colon and 48 hex digits. */
    public static final int MAX_LENGTH = 64 + 1 + 48;

    /** An order id taken apart. */
    public record Parsed(String shopId, String nonce, String ownerTag) {
        /** Whether the order was placed by this customer. */
        public boolean placedBy(String customerId) {
            return MessageDigest.isEqual(ownerTag.getBytes(StandardCharsets.US_ASCII),
                    tag(shopId, nonce, customerId).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private OrderIds() {
    }

    public static String forRequest(String shopId, String customerId, String idempotencyKey) {
        UUID uuid = idempotencyKey == null ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes(("brewstream/order/" + customerId + "/" + idempotencyKey)
                        .getBytes(StandardCharsets.UTF_8));
        String nonce = uuid.toString().replace("-", "");
        return shopId + ":" + nonce + tag(shopId, nonce, customerId);
    }

    /** The parts of an id this class made; empty for anything else. */
    public static Optional<Parsed> parse(String orderId) {
        if (orderId == null || orderId.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher m = ORDER.matcher(orderId);
        return m.matches() ? Optional.of(new Parsed(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    private static String tag(String shopId, String nonce, String customerId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("brewstream/order-owner/" + shopId + "/"
                    + nonce + "/" + customerId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

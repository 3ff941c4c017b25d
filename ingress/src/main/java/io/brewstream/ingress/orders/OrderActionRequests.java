package io.brewstream.ingress.orders;

/** JSON bodies of the commands on an existing order. */
final class OrderActionRequests {
    private OrderActionRequests() {
    }

    /** Who cancels comes from the token. */
    record Cancel(String reason) {
    }

    /** The barista is the caller; the body may be empty or carry a note for the shop's own records. */
    record Barista(String note) {
    }

    record Claim(String pickupCode) {
    }

    record Payment(String method, Amount amount, String paymentId, String cardFingerprint) {
    }

    record Amount(Long amountMinor, String currency) {
    }
}

package io.brewstream.ingress.orders;

/** JSON bodies of the commands on an existing order. */
final class OrderActionRequests {
    private OrderActionRequests() {
    }

    record Cancel(String reason, String requestedBy) {
    }

    record Barista(String baristaId) {
    }

    record Claim(String pickupCode) {
    }

    record Payment(String method, Amount amount, String paymentId, String cardFingerprint) {
    }

    record Amount(Long amountMinor, String currency) {
    }
}

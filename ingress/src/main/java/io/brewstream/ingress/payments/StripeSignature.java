package io.brewstream.ingress.payments;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;

/**
 * Stripe's webhook signature, checked by Stripe's own library ({@code Webhook.Signature.verifyHeader}): the
 * {@code Stripe-Signature} header holds {@code t=<unix seconds>} and one or more {@code v1=<hex>} signatures, each
 * an HMAC-SHA256 of {@code <t>.<raw body>} with an endpoint secret, and {@code t} must be within the tolerance of
 * now. While a secret is rolled, Stripe signs with the old and the new one, and either may be the one configured
 * here first: a delivery is genuine when it verifies with any of our secrets.
 */
public final class StripeSignature {
    private final List<String> secrets;
    private final Duration tolerance;
    private final Clock clock;

    public StripeSignature(List<String> secrets, Duration tolerance, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one webhook signing secret is needed");
        }
        this.secrets = List.copyOf(secrets);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** Null when genuine; otherwise why not. */
    public String refusal(String header, byte[] rawBody) {
        if (header == null || header.isBlank()) {
            return "the Stripe-Signature header is missing";
        }
        String payload = new String(rawBody, StandardCharsets.UTF_8);
        String why = null;
        for (String secret : secrets) {
            try {
                Webhook.Signature.verifyHeader(payload, header, secret, tolerance.toSeconds(), clock);
                return null;
            } catch (SignatureVerificationException e) {
                why = e.getMessage();
            } catch (RuntimeException e) { // a header Stripe's parser cannot read at all
                why = "the Stripe-Signature header cannot be read";
            }
        }
        return why;
    }

    /** The signature's timestamp, once verified. */
    static long timestamp(String header) {
        for (String item : header.split(",")) {
            String[] pair = item.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("t")) {
                return Long.parseLong(pair[1]);
            }
        }
        throw new IllegalArgumentException("no timestamp");
    }
}

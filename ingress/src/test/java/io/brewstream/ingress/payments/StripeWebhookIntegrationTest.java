package io.brewstream.ingress.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.ingress.orders.IngressServerTest;
import io.brewstream.ingress.orders.IngressTestServer;
import io.brewstream.platform.http.Json;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.topics.Topics;

/**
 * Stripe's webhook against the real broker: deliveries shaped and signed as Stripe sends them (an event object
 * with {@code data.object} a payment intent; {@code Stripe-Signature: t=...,v1=...}, HMAC-SHA256 of
 * {@code t.body}), and every way a delivery can be wrong.
 */
class StripeWebhookIntegrationTest extends IngressServerTest {

    StripeWebhookIntegrationTest(EmbeddedInfrastructure infra) {
        super(infra);
    }



    private static String order() {
        return OrderIds.forRequest("berlin-mitte", "cust-7", null);
    }

    /** A payment_intent.succeeded event as Stripe's API version 2025 sends it. */
    private static String succeeded(String eventId, String intentId, String orderId, long amount, String currency) {
        return """
                {"id":"%s","object":"event","api_version":"2025-09-30.clover","created":%d,
                 "data":{"object":{"id":"%s","object":"payment_intent","amount":%d,"amount_received":%d,
                   "currency":"%s","status":"succeeded","latest_charge":"ch_3Q","livemode":false,
                   "metadata":{"order_id":"%s"}}},
                 "livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},
                 "type":"payment_intent.succeeded"}""".formatted(eventId, Instant.now().getEpochSecond(), intentId, amount,
                amount, currency, orderId);
    }

    private static String sign(String secret, long t, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> deliver(String body, String signatureHeader) throws Exception {
        Map<String, String> headers = signatureHeader == null ? Map.of("Authorization", "")
                : Map.of("Stripe-Signature", signatureHeader, "Authorization", "");
        return server.post(StripeWebhookRoutes.PATH, body, headers);
    }

    private HttpResponse<String> deliverSigned(String body, String secret, long t) throws Exception {
        return deliver(body, "t=" + t + ",v1=" + sign(secret, t, body));
    }

    @Test
    void aSignedPaymentIntentSucceededIsRecordedAsACardPaymentOfItsOrder() throws Exception {
        String orderId = order();
        HttpResponse<String> response = deliverSigned(succeeded("evt_ok1", "pi_ok1", orderId, 980, "eur"),
                IngressTestServer.STRIPE_SECRET, Instant.now().getEpochSecond());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(response.body()).get("outcome").asText()).startsWith("recorded");
        PaymentReceived payment = server.all(Topics.PAYMENTS, orderId).get(0);
        assertThat(payment.getPaymentId()).isEqualTo("pi_ok1");
        assertThat(payment.getMethod()).isEqualTo(PaymentMethod.CARD);
        assertThat(payment.getAmount().getAmountMinor()).isEqualTo(980);
        assertThat(payment.getAmount().getCurrency()).isEqualTo("EUR");
    }

    @Test
    void unsignedStaleTamperedAndForeignlySignedDeliveriesAreRefusedAndWriteNothing() throws Exception {
        String orderId = order();
        String body = succeeded("evt_bad", "pi_bad", orderId, 980, "eur");
        long now = Instant.now().getEpochSecond();

        HttpResponse<String> unsigned = deliver(body, null);
        HttpResponse<String> stale = deliverSigned(body, IngressTestServer.STRIPE_SECRET, now - 600);
        HttpResponse<String> tampered = deliver(body.replace("980", "1"), "t=" + now + ",v1="
                + sign(IngressTestServer.STRIPE_SECRET, now, body));
        HttpResponse<String> foreign = deliverSigned(body, "whsec_someone_else", now);
        HttpResponse<String> garbage = deliver(body, "t=abc,v1=zz,,=");

        for (HttpResponse<String> response : java.util.List.of(unsigned, stale, tampered, foreign, garbage)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        }
        assertThat(server.all(Topics.PAYMENTS, orderId)).isEmpty();
    }

    @Test
    void aReplayedDeliveryIsRefusedAndARedeliveredEventCountsOnce() throws Exception {
        String orderId = order();
        String body = succeeded("evt_twice", "pi_twice", orderId, 450, "eur");
        long t = Instant.now().getEpochSecond();

        assertThat(deliverSigned(body, IngressTestServer.STRIPE_SECRET, t).statusCode()).isEqualTo(200);
        assertThat(deliverSigned(body, IngressTestServer.STRIPE_SECRET, t).statusCode()).as("the same delivery again")
                .isEqualTo(409);
        HttpResponse<String> retry = deliverSigned(body, IngressTestServer.STRIPE_SECRET, t + 61);
        assertThat(retry.statusCode()).as("Stripe's own retry of the event").isEqualTo(200);
        assertThat(Json.mapper().readTree(retry.body()).get("outcome").asText()).startsWith("duplicate");

        assertThat(server.all(Topics.PAYMENTS, orderId)).hasSize(1);
    }

    @Test
    void whileTheSecretIsRolledEitherSecretVerifies() throws Exception {
        String orderId = order();
        long t = Instant.now().getEpochSecond();
        String first = succeeded("evt_roll1", "pi_roll1", orderId, 300, "eur");
        String second = succeeded("evt_roll2", "pi_roll2", orderId, 300, "eur");
        // Stripe signs with both the expiring and the new secret while they overlap: two v1 signatures
        String both = "t=" + t + ",v1=" + sign("whsec_expired_elsewhere", t, first) + ",v1="
                + sign(IngressTestServer.STRIPE_NEXT_SECRET, t, first) + ",v0=deadbeef";

        assertThat(deliver(first, both).statusCode()).isEqualTo(200);
        assertThat(deliverSigned(second, IngressTestServer.STRIPE_NEXT_SECRET, t).statusCode()).isEqualTo(200);
        assertThat(server.all(Topics.PAYMENTS, orderId)).extracting(PaymentReceived::getPaymentId)
                .containsExactly("pi_roll1", "pi_roll2");
    }

    @Test
    void eventsThatAreNotOursAreAcknowledgedAndIgnored() throws Exception {
        long t = Instant.now().getEpochSecond();
        String foreignIntent = succeeded("evt_foreign", "pi_foreign", "not-one-of-ours", 100, "usd");
        String failed = """
                {"id":"evt_failed","object":"event","created":1,"type":"payment_intent.payment_failed",
                 "data":{"object":{"id":"pi_f","object":"payment_intent","amount":100,"currency":"eur",
                   "last_payment_error":{"code":"card_declined"},"metadata":{}}}}""";
        String customer = """
                {"id":"evt_customer","object":"event","created":1,"type":"customer.created","data":{"object":{"id":"cus_1"}}}""";

        for (String body : java.util.List.of(foreignIntent, failed, customer)) {
            HttpResponse<String> response = deliverSigned(body, IngressTestServer.STRIPE_SECRET, t);
            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(server.all(Topics.PAYMENTS, "not-one-of-ours")).isEmpty();
    }
}

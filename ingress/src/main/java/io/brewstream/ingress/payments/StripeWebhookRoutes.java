package io.brewstream.ingress.payments;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.platform.security.Access;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.topics.Topics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code POST /webhooks/stripe}: card payments, from the payment provider only. A delivery is read only once its
 * {@code Stripe-Signature} verifies ({@link StripeSignature}); anything unsigned, stale or tampered is refused with
 * a problem and writes nothing. The route needs no bearer token: Stripe's signature is its credential.
 *
 * <ul>
 * <li>{@code payment_intent.succeeded}: the order named by the intent's {@code metadata.order_id} was paid
 * {@code amount_received} in {@code currency}; recorded as a CARD payment whose id is the intent's id, so however
 * often Stripe delivers it (or several events about it), the orders topology counts it once. Whether amount and
 * currency match the order's total is decided there, where the total is known: a mismatch is refunded.</li>
 * <li>{@code payment_intent.payment_failed} and {@code charge.refunded}: acknowledged and counted; nothing about
 * the order changes (an unpaid order expires; refunds are decided by the orders topology, and Stripe's
 * {@code charge.refunded} confirms one).</li>
 * <li>Any other type, or an intent without our order id (another integration on the same Stripe account):
 * acknowledged with 200 and ignored, so Stripe does not retry it for days.</li>
 * </ul>
 * The same event delivered again (Stripe retries when it missed our answer) is answered 200 and written once; the
 * very same delivery sent again (same event, same signature timestamp) is a replay and refused with 409.
 */
public final class StripeWebhookRoutes implements HttpRoutes {
    public static final String PATH = "/webhooks/stripe";
    public static final String SIGNATURE_HEADER = "Stripe-Signature";

    private final Optional<StripeSignature> signature;
    private final CommandPublisher publisher;
    private final Clock clock;
    private final MeterRegistry registry;
    private final RecentDeliveries recent = new RecentDeliveries(100_000);

    /** @param signature empty when no webhook secret is configured: the route then answers 404 with how to set one */
    public StripeWebhookRoutes(Optional<StripeSignature> signature, CommandPublisher publisher, Clock clock,
            MeterRegistry registry) {
        this.signature = signature;
        this.publisher = publisher;
        this.clock = clock;
        this.registry = registry;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::receive, Access.WEBHOOK);
    }

    private void receive(Context ctx) {
        StripeSignature check = signature.orElseThrow(() -> ProblemException.notFound(
                "Stripe webhooks are not configured here: set BREWSTREAM_STRIPE_WEBHOOK_SECRETS"));
        byte[] body = ctx.bodyAsBytes();
        String header = ctx.header(SIGNATURE_HEADER);
        String refusal = check.refusal(header, body);
        if (refusal != null) {
            count("unverified", "refused");
            throw new ProblemException(new Problem("urn:brewstream:problem:bad-signature", "Signature not verified", 400,
                    refusal, null, java.util.List.of()));
        }
        JsonNode event = event(body);
        String eventId = event.path("id").asText();
        String type = event.path("type").asText();
        long timestamp = StripeSignature.timestamp(header);
        RecentDeliveries.Seen seen = recent.check(eventId, timestamp);
        if (seen == RecentDeliveries.Seen.SAME_DELIVERY) {
            count(type, "replay");
            throw new ProblemException(new Problem("urn:brewstream:problem:replayed", "Replayed delivery", 409,
                    "event " + eventId + " was delivered with this very signature before", null, java.util.List.of()));
        }
        if (seen == RecentDeliveries.Seen.SAME_EVENT) {
            count(type, "duplicate");
            answer(ctx, eventId, "duplicate: recorded before");
            return;
        }
        CompletableFuture<String> outcome = switch (type) {
            case "payment_intent.succeeded" -> paid(event);
            case "payment_intent.payment_failed" ->
                    CompletableFuture.completedFuture("noted: the order waits for another payment or expires");
            case "charge.refunded" ->
                    CompletableFuture.completedFuture("noted: refunds are decided by the order and confirmed by this event");
            default -> CompletableFuture.completedFuture("ignored: " + type + " is not an event this endpoint uses");
        };
        // answered once the payment is durable, without holding a server thread while the broker acknowledges
        ctx.future(() -> outcome.handle((said, error) -> {
            if (error != null) {
                HttpService.fail(ctx, error);
                return null;
            }
            recent.remember(eventId, timestamp);
            count(type, said.substring(0, said.indexOf(':')));
            answer(ctx, eventId, said);
            return null;
        }));
    }

    private CompletableFuture<String> paid(JsonNode event) {
        JsonNode intent = event.path("data").path("object");
        String intentId = intent.path("id").asText();
        String orderId = intent.path("metadata").path("order_id").asText(null);
        if (orderId == null || OrderIds.parse(orderId).isEmpty()) {
            return CompletableFuture.completedFuture("ignored: the payment intent carries no order_id of ours in its metadata");
        }
        if (!intentId.startsWith("pi_") || !intent.path("amount_received").canConvertToLong()
                || !intent.path("currency").asText().matches("[a-zA-Z]{3}")) {
            throw new ProblemException(Problem.invalidFields(java.util.List.of(new Problem.FieldError("data.object",
                    "is not a payment intent with an id, amount_received and currency"))));
        }
        long created = event.path("created").asLong(clock.instant().getEpochSecond());
        return publisher.publishAsync(Topics.PAYMENTS, orderId, PaymentReceived.newBuilder()
                .setPaymentId(intentId)
                .setOrderId(orderId)
                .setMethod(PaymentMethod.CARD)
                .setAmount(Amounts.of(intent.path("amount_received").asLong(),
                        intent.path("currency").asText().toUpperCase(java.util.Locale.ROOT)))
                .setPaymentReference(intentId)
                .setReceivedAt(Instant.ofEpochSecond(created))
                .build()).thenApply(written -> "recorded: card payment " + intentId + " for order " + orderId);
    }

    private static JsonNode event(byte[] body) {
        try {
            JsonNode event = Json.mapper().readTree(body);
            if (event == null || !event.path("id").asText().startsWith("evt_") || !event.path("type").isTextual()) {
                throw new ProblemException(Problem.invalidFields(java.util.List.of(
                        new Problem.FieldError("body", "is not a Stripe event (id evt_..., type)"))));
            }
            return event;
        } catch (IOException e) {
            throw new ProblemException(Problem.invalidFields(java.util.List.of(
                    new Problem.FieldError("body", "is not well-formed JSON"))));
        }
    }

    private static void answer(Context ctx, String eventId, String outcome) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("received", true);
        body.put("eventId", eventId);
        body.put("outcome", outcome);
        ctx.json(body);
    }

    private void count(String type, String outcome) {
        Counter.builder("brewstream.ingress.stripe.events").description("Stripe webhook deliveries by type and outcome")
                .tag("type", type.length() > 64 ? "other" : type).tag("outcome", outcome).register(registry).increment();
    }
}

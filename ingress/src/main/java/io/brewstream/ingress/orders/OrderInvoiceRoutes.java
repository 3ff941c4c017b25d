package io.brewstream.ingress.orders;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.Problem.FieldError;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.platform.security.Principal;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.payments.InvoiceRequest;
import io.brewstream.schemas.topics.Topics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code POST /api/v1/orders/{orderId}/invoices} with {@code {"asset":"ETH"}}: the order's own customer asks to pay
 * it in crypto. The request names only the asset; the invoice topology prices it from the order's state at a
 * locked rate and gives it a deposit address of its own. Answered 202 with the invoice's id and where to read it
 * (its amount and address appear there within a moment).
 */
public final class OrderInvoiceRoutes implements HttpRoutes {
    public static final String PATH = Accepted.ORDERS_PATH + "/{orderId}/invoices";
    /** Symbols as the invoice topology's settings spell them: ETH, USDC... */
    private static final java.util.regex.Pattern ASSET = java.util.regex.Pattern.compile("[A-Z0-9]{2,10}");

    /** The body: which asset to pay in. */
    public record Body(String asset) {
    }

    private final CommandPublisher publisher;
    private final String queryBaseUrl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public OrderInvoiceRoutes(CommandPublisher publisher, String queryBaseUrl, Clock clock) {
        this.publisher = publisher;
        this.queryBaseUrl = queryBaseUrl;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::request, Role.CUSTOMER);
    }

    private void request(Context ctx) {
        String orderId = ctx.pathParam("orderId");
        Principal who = OrderActionRoutes.authorize(ctx, orderId, true);
        String customer = who.customerId().orElseThrow();
        JsonBodies.Parsed<Body> parsed = JsonBodies.read(ctx, Body.class);
        List<FieldError> errors = new ArrayList<>(parsed.unknownFields());
        if (parsed.value().asset() == null || !ASSET.matcher(parsed.value().asset()).matches()) {
            errors.add(new FieldError("asset", "is required: ETH or a token's symbol, e.g. USDC"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalidFields(errors));
        }
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        InvoiceRequest request = InvoiceRequest.newBuilder().setInvoiceId(orderId + "." + HexFormat.of().formatHex(nonce))
                .setOrderId(orderId).setShopId(OrderIds.parse(orderId).orElseThrow().shopId()).setCustomerId(customer)
                .setAsset(parsed.value().asset()).setRequestedAt(clock.instant()).build();
        Accepted.whenWritten(ctx, publisher.publishAsync(Topics.INVOICE_REQUESTS, orderId, request), () -> {
            String location = queryBaseUrl + "/api/v1/invoices/" + request.getInvoiceId();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("invoiceId", request.getInvoiceId());
            body.put("orderId", orderId);
            body.put("status", "REQUESTED");
            body.put("links", Map.of("invoice", location, "order", queryBaseUrl + Accepted.ORDERS_PATH + "/" + orderId));
            ctx.status(202).header("Location", location).json(body);
        });
    }
}

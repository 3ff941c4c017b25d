package io.brewstream.ingress.orders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.brewstream.ingress.http.ClientAddresses;
import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.Problem.FieldError;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.topics.Topics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code POST /api/v1/orders}: validates a new order and writes a PlaceOrder command. */
public final class OrderIngressRoutes implements HttpRoutes {
    public static final String ORDERS_PATH = Accepted.ORDERS_PATH;
    static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    static final String DEVICE_ID_HEADER = "X-Device-Id";

    private final CommandPublisher publisher;
    private final ClientAddresses clientAddresses;
    private final String queryBaseUrl;
    private final Clock clock;
    private final Counter accepted;
    private final Counter refused;

    /**
     * @param queryBaseUrl    where the read API lives, for the Location header; empty for the same server
     * @param clientAddresses how to tell the client's address behind proxies, for fraud scoring
     */
    public OrderIngressRoutes(CommandPublisher publisher, String queryBaseUrl, ClientAddresses clientAddresses, Clock clock,
            MeterRegistry registry) {
        this.publisher = publisher;
        this.clientAddresses = clientAddresses;
        this.queryBaseUrl = queryBaseUrl.replaceAll("/+$", "");
        this.clock = clock;
        this.accepted = Accepted.counter(registry, "place-order", "accepted");
        this.refused = Accepted.counter(registry, "place-order", "refused");
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(ORDERS_PATH, this::placeOrder, Role.CUSTOMER);
    }

    private void placeOrder(Context ctx) {
        String customerId = Authentication.principal(ctx).customerId().orElseThrow(
                () -> Authentication.forbidden("the token names no customer"));
        PlaceOrderRequest request;
        try {
            JsonBodies.Parsed<PlaceOrderRequest> parsed = JsonBodies.read(ctx, PlaceOrderRequest.class);
            request = withHeaders(ctx, parsed.value());
            List<FieldError> errors = new ArrayList<>(parsed.unknownFields());
            errors.addAll(PlaceOrderValidator.validate(request));
            if (!errors.isEmpty()) {
                throw new ProblemException(Problem.invalidFields(errors));
            }
        } catch (ProblemException e) {
            refused.increment();
            throw e;
        }
        String orderId = OrderIds.forRequest(request.shopId(), customerId, request.idempotencyKey());
        Accepted.whenWritten(ctx, publisher.publishAsync(Topics.ORDER_COMMANDS, orderId,
                command(orderId, customerId, request, clientAddresses.of(ctx))), () -> {
                    accepted.increment();
                    Accepted.answer(ctx, queryBaseUrl, orderId, null);
                });
    }

    private static PlaceOrderRequest withHeaders(Context ctx, PlaceOrderRequest body) {
        String headerKey = ctx.header(IDEMPOTENCY_KEY_HEADER);
        if (headerKey != null && body.idempotencyKey() != null && !headerKey.equals(body.idempotencyKey())) {
            throw new ProblemException(Problem.invalidFields(List.of(new FieldError("idempotencyKey",
                    "differs from the " + IDEMPOTENCY_KEY_HEADER + " header; send one or make them equal"))));
        }
        String key = headerKey != null ? headerKey : body.idempotencyKey();
        String device = body.deviceId() != null ? body.deviceId() : ctx.header(DEVICE_ID_HEADER);
        return new PlaceOrderRequest(body.shopId(), body.items(), key, device, body.note());
    }

    private OrderCommand command(String orderId, String customerId, PlaceOrderRequest request, String clientIp) {
        List<OrderLine> lines = request.items().stream()
                .map(item -> OrderLine.newBuilder()
                        .setMenuItemId(item.menuItemId())
                        .setQuantity(item.quantity())
                        .setSize(item.size() == null ? ItemSize.MEDIUM : PlaceOrderValidator.size(item.size()))
                        .setOptions(item.options() == null ? List.of() : List.copyOf(item.options()))
                        .build())
                .toList();
        PlaceOrder place = PlaceOrder.newBuilder()
                .setShopId(request.shopId())
                .setCustomerId(customerId)
                .setLines(lines)
                .setIdempotencyKey(request.idempotencyKey())
                .setRequestFingerprint(fingerprint(request))
                .setDeviceId(request.deviceId())
                .setClientIp(clientIp)
                .setNote(request.note())
                .build();
        return Accepted.command(orderId, place, clock);
    }

    /** SHA-256 of the request as re-serialized (fields in a fixed order), so formatting does not matter. */
    static String fingerprint(PlaceOrderRequest request) {
        try {
            byte[] canonical = Json.mapper().writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint the request", e);
        }
    }
}

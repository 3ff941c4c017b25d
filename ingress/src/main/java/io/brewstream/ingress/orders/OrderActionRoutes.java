package io.brewstream.ingress.orders;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.ingress.orders.OrderActionRequests.Barista;
import io.brewstream.ingress.orders.OrderActionRequests.Cancel;
import io.brewstream.ingress.orders.OrderActionRequests.Claim;
import io.brewstream.ingress.orders.OrderActionRequests.Payment;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.Problem.FieldError;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Principal;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.CancelOrder;
import io.brewstream.schemas.orders.ClaimOrder;
import io.brewstream.schemas.orders.MarkReady;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.StartPreparation;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.topics.Topics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Commands on an existing order: cancel, cash payment, the barista's start and ready, the claim. Each is checked
 * against the caller (the order id tells its shop and its customer, {@link OrderIds}), validated and recorded;
 * whether the order accepts it shows on the order itself.
 *
 * <p>Who may do what: the order's own customer may cancel and claim it; staff and managers of its shop may cancel,
 * start, ready and claim it (the customer shows the code at the counter) and record a cash payment. Card
 * payments come from the payment provider (its signed webhook, or its service account here), crypto payments only
 * from the chain watcher.
 */
public final class OrderActionRoutes implements HttpRoutes {
    private static final String ORDER = Accepted.ORDERS_PATH + "/{orderId}";
    private static final Role[] SHOP_PEOPLE = {Role.STAFF, Role.MANAGER};

    private final CommandPublisher publisher;
    private final String queryBaseUrl;
    private final Clock clock;
    private final MeterRegistry registry;

    public OrderActionRoutes(CommandPublisher publisher, String queryBaseUrl, Clock clock, MeterRegistry registry) {
        this.publisher = publisher;
        this.queryBaseUrl = queryBaseUrl.replaceAll("/+$", "");
        this.clock = clock;
        this.registry = registry;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(ORDER + "/cancel", command("cancel-order", Cancel.class, OrderActionRoutes::validate,
                OrderActionRoutes::cancel, true), Role.CUSTOMER, Role.STAFF, Role.MANAGER);
        routes.post(ORDER + "/start", command("start-preparation", Barista.class, OrderActionRoutes::validate,
                (body, who) -> StartPreparation.newBuilder().setBaristaId(who.subject()).build(), false),
                Role.STAFF, Role.MANAGER);
        routes.post(ORDER + "/ready", command("mark-ready", Barista.class, OrderActionRoutes::validate,
                (body, who) -> MarkReady.newBuilder().setBaristaId(who.subject()).build(), false),
                Role.STAFF, Role.MANAGER);
        routes.post(ORDER + "/claim", command("claim-order", Claim.class, OrderActionRoutes::validate,
                (body, who) -> ClaimOrder.newBuilder().setPickupCode(body.pickupCode()).build(), true),
                Role.CUSTOMER, Role.STAFF, Role.MANAGER);
        Counter accepted = counter("record-payment", "accepted");
        Counter refused = counter("record-payment", "refused");
        routes.post(ORDER + "/payments", ctx -> {
            PaymentReceived payment = counted(refused, () -> payment(ctx));
            Accepted.whenWritten(ctx, publisher.publishAsync(Topics.PAYMENTS, payment.getOrderId(), payment), () -> {
                accepted.increment();
                Accepted.answer(ctx, queryBaseUrl, payment.getOrderId(), null);
            });
        }, Role.STAFF, Role.MANAGER, Role.PAYMENT_PROVIDER);
    }

    /**
     * @param customerMay whether the order's own customer may send it, besides staff and managers of its shop
     */
    private <T> io.javalin.http.Handler command(String name, Class<T> bodyType, Function<T, List<FieldError>> validator,
            BiFunction<T, Principal, Object> toCommand, boolean customerMay) {
        Counter accepted = counter(name, "accepted");
        Counter refused = counter(name, "refused");
        return ctx -> {
            OrderCommand command = counted(refused, () -> {
                String orderId = ctx.pathParam("orderId");
                Principal who = authorize(ctx, orderId, customerMay);
                T body = read(ctx, bodyType, validator);
                return Accepted.command(orderId, toCommand.apply(body, who), clock);
            });
            Accepted.whenWritten(ctx, publisher.publishAsync(Topics.ORDER_COMMANDS, command.getOrderId(), command), () -> {
                accepted.increment();
                Accepted.answer(ctx, queryBaseUrl, command.getOrderId(), command.getCommandId());
            });
        };
    }

    /**
     * The caller, if it may act on the order: its own customer (when allowed), or staff or a manager of its shop.
     * An id that is no order id cannot name an order: 404.
     */
    static Principal authorize(Context ctx, String orderId, boolean customerMay) {
        OrderIds.Parsed order = OrderIds.parse(orderId).orElseThrow(() -> ProblemException.notFound("no such order"));
        Principal who = Authentication.principal(ctx);
        if (who.actsForShop(order.shopId(), SHOP_PEOPLE)) {
            return who;
        }
        if (customerMay && who.customerId().isPresent() && who.has(Role.CUSTOMER)
                && order.placedBy(who.customerId().get())) {
            return who;
        }
        throw Authentication.forbidden(customerMay ? "only the order's customer or staff of its shop may do this"
                : "only staff of the order's shop may do this");
    }

    private static Object cancel(Cancel body, Principal who) {
        String by = who.customerId().filter(c -> who.has(Role.CUSTOMER) && !who.hasAny(java.util.Set.of(SHOP_PEOPLE)))
                .map(c -> "customer " + c).orElse("staff " + who.subject());
        return CancelOrder.newBuilder().setReason(body.reason()).setRequestedBy(by).build();
    }

    private PaymentReceived payment(Context ctx) {
        String orderId = ctx.pathParam("orderId");
        OrderIds.Parsed order = OrderIds.parse(orderId).orElseThrow(() -> ProblemException.notFound("no such order"));
        Principal who = Authentication.principal(ctx);
        Payment body = read(ctx, Payment.class, OrderActionRoutes::validatePayment);
        PaymentMethod method = PaymentMethod.valueOf(body.method().toUpperCase(java.util.Locale.ROOT));
        if (method == PaymentMethod.CASH) {
            // cash is counted at the counter: staff or a manager of the order's shop
            if (!who.actsForShop(order.shopId(), SHOP_PEOPLE)) {
                throw Authentication.forbidden("cash is recorded by staff of the order's shop");
            }
        } else if (!who.has(Role.PAYMENT_PROVIDER)) {
            throw Authentication.forbidden("card payments come only from the payment provider");
        }
        String paymentId = body.paymentId() != null ? body.paymentId()
                : ctx.header(OrderIngressRoutes.IDEMPOTENCY_KEY_HEADER) != null
                        ? "idem:" + ctx.header(OrderIngressRoutes.IDEMPOTENCY_KEY_HEADER)
                        : UUID.randomUUID().toString();
        return PaymentReceived.newBuilder()
                .setPaymentId(paymentId)
                .setOrderId(orderId)
                .setMethod(method)
                .setAmount(Amounts.of(body.amount().amountMinor(), body.amount().currency()))
                .setCardFingerprint(body.cardFingerprint())
                .setReceivedAt(clock.instant())
                .build();
    }

    private static List<FieldError> validate(Cancel body) {
        List<FieldError> errors = new ArrayList<>();
        Fields.text(errors, "reason", body.reason(), true, 200);
        return errors;
    }

    private static List<FieldError> validate(Barista body) {
        List<FieldError> errors = new ArrayList<>();
        Fields.text(errors, "note", body.note(), false, 200);
        return errors;
    }

    private static List<FieldError> validate(Claim body) {
        List<FieldError> errors = new ArrayList<>();
        Fields.text(errors, "pickupCode", body.pickupCode(), true, 16);
        return errors;
    }

    private static List<FieldError> validatePayment(Payment body) {
        List<FieldError> errors = new ArrayList<>();
        if (body.method() == null) {
            errors.add(new FieldError("method", "is required"));
        } else if (!List.of("CARD", "CASH").contains(body.method().toUpperCase(java.util.Locale.ROOT))) {
            errors.add(new FieldError("method", "must be CARD or CASH; crypto payments arrive from the chain"));
        }
        if (body.amount() == null) {
            errors.add(new FieldError("amount", "is required"));
        } else {
            if (body.amount().amountMinor() == null || body.amount().amountMinor() <= 0) {
                errors.add(new FieldError("amount.amountMinor", "must be a positive number of minor units"));
            }
            if (body.amount().currency() == null || !body.amount().currency().matches("[A-Z]{3}")) {
                errors.add(new FieldError("amount.currency", "must be an ISO 4217 code such as EUR"));
            }
        }
        Fields.key(errors, "paymentId", body.paymentId());
        Fields.text(errors, "cardFingerprint", body.cardFingerprint(), false, 128);
        return errors;
    }

    /** The body, strictly; start and ready may come with none at all. */
    private static <T> T read(Context ctx, Class<T> type, Function<T, List<FieldError>> validator) {
        JsonBodies.Parsed<T> parsed = type == Barista.class && ctx.bodyAsBytes().length == 0
                ? new JsonBodies.Parsed<>(type.cast(new Barista(null)), List.of())
                : JsonBodies.read(ctx, type);
        List<FieldError> errors = new ArrayList<>(parsed.unknownFields());
        errors.addAll(validator.apply(parsed.value()));
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalidFields(errors));
        }
        return parsed.value();
    }

    private Counter counter(String command, String outcome) {
        return Accepted.counter(registry, command, outcome);
    }

    private static <T> T counted(Counter refused, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ProblemException e) {
            refused.increment();
            throw e;
        }
    }
}

package io.brewstream.ingress.orders;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
 * Commands on an existing order: cancel, card or cash payment, the barista's start and ready, the customer's
 * claim. Each is validated and recorded; whether the order accepts it shows on the order itself.
 */
public final class OrderActionRoutes implements HttpRoutes {
    private static final String ORDER = Accepted.ORDERS_PATH + "/{orderId}";

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
        routes.post(ORDER + "/cancel", command("cancel-order", Cancel.class, OrderActionRoutes::validate, OrderActionRoutes::cancel));
        routes.post(ORDER + "/start", command("start-preparation", Barista.class, OrderActionRoutes::validate, OrderActionRoutes::start));
        routes.post(ORDER + "/ready", command("mark-ready", Barista.class, OrderActionRoutes::validate, OrderActionRoutes::ready));
        routes.post(ORDER + "/claim", command("claim-order", Claim.class, OrderActionRoutes::validate, OrderActionRoutes::claim));
        Counter accepted = counter("record-payment", "accepted");
        Counter refused = counter("record-payment", "refused");
        routes.post(ORDER + "/payments", ctx -> {
            PaymentReceived payment = counted(refused, () -> payment(ctx));
            publisher.publish(Topics.PAYMENTS, payment.getOrderId(), payment);
            accepted.increment();
            Accepted.answer(ctx, queryBaseUrl, payment.getOrderId(), null);
        });
    }

    private <T> io.javalin.http.Handler command(String name, Class<T> bodyType, Function<T, List<FieldError>> validator,
            Function<T, Object> toCommand) {
        Counter accepted = counter(name, "accepted");
        Counter refused = counter(name, "refused");
        return ctx -> {
            OrderCommand command = counted(refused, () -> {
                String orderId = orderId(ctx);
                T body = read(ctx, bodyType, validator);
                return Accepted.command(orderId, toCommand.apply(body), clock);
            });
            publisher.publish(Topics.ORDER_COMMANDS, command.getOrderId(), command);
            accepted.increment();
            Accepted.answer(ctx, queryBaseUrl, command.getOrderId(), command.getCommandId());
        };
    }

    private static Object cancel(Cancel body) {
        return CancelOrder.newBuilder().setReason(body.reason()).setRequestedBy(body.requestedBy()).build();
    }

    private static Object start(Barista body) {
        return StartPreparation.newBuilder().setBaristaId(body.baristaId()).build();
    }

    private static Object ready(Barista body) {
        return MarkReady.newBuilder().setBaristaId(body.baristaId()).build();
    }

    private static Object claim(Claim body) {
        return ClaimOrder.newBuilder().setPickupCode(body.pickupCode()).build();
    }

    private PaymentReceived payment(Context ctx) {
        String orderId = orderId(ctx);
        Payment body = read(ctx, Payment.class, OrderActionRoutes::validatePayment);
        String paymentId = body.paymentId() != null ? body.paymentId()
                : ctx.header(OrderIngressRoutes.IDEMPOTENCY_KEY_HEADER) != null
                        ? "idem:" + ctx.header(OrderIngressRoutes.IDEMPOTENCY_KEY_HEADER)
                        : UUID.randomUUID().toString();
        return PaymentReceived.newBuilder()
                .setPaymentId(paymentId)
                .setOrderId(orderId)
                .setMethod(PaymentMethod.valueOf(body.method().toUpperCase()))
                .setAmount(Amounts.of(body.amount().amountMinor(), body.amount().currency()))
                .setCardFingerprint(body.cardFingerprint())
                .setReceivedAt(clock.instant())
                .build();
    }

    private static List<FieldError> validate(Cancel body) {
        List<FieldError> errors = new ArrayList<>();
        Fields.text(errors, "reason", body.reason(), true, 200);
        Fields.id(errors, "requestedBy", body.requestedBy());
        return errors;
    }

    private static List<FieldError> validate(Barista body) {
        List<FieldError> errors = new ArrayList<>();
        Fields.id(errors, "baristaId", body.baristaId());
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
        } else if (!body.method().equalsIgnoreCase("CARD") && !body.method().equalsIgnoreCase("CASH")) {
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

    private static <T> T read(Context ctx, Class<T> type, Function<T, List<FieldError>> validator) {
        JsonBodies.Parsed<T> parsed = JsonBodies.read(ctx, type);
        List<FieldError> errors = new ArrayList<>(parsed.unknownFields());
        errors.addAll(validator.apply(parsed.value()));
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalidFields(errors));
        }
        return parsed.value();
    }

    private static String orderId(Context ctx) {
        String orderId = ctx.pathParam("orderId");
        if (!Fields.isId(orderId)) {
            throw new ProblemException(Problem.invalidFields(List.of(new FieldError("orderId", "is not an order id"))));
        }
        return orderId;
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

package io.brewstream.queries.payments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Principal;
import io.brewstream.platform.security.Role;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.payments.ChainPayment;
import io.brewstream.schemas.payments.Invoice;
import io.brewstream.topologies.payments.InvoiceStores;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Crypto invoices, from the payments topology's stores. Invoices live in their shop's task, so every read goes to
 * the instance that owns the shop (the shop is part of the invoice id, through its order id); their keys start
 * with the shop's and then the order's id, so a shop's or an order's invoices are one prefix scan.
 * <ul>
 * <li>{@code GET /api/v1/invoices/{invoiceId}}: one invoice with its payments and their confirmations (the order's
 * customer, the shop's staff);</li>
 * <li>{@code GET /api/v1/orders/{orderId}/invoices}: the order's invoices (the same people);</li>
 * <li>{@code GET /api/v1/shops/{shopId}/invoices[?status=NEW,PROCESSING][&flag=PAID_LATE]}: the shop's invoices,
 * for its staff: by default those that need an eye, unsettled or flagged.</li>
 * </ul>
 */
public final class InvoiceQueryRoutes implements HttpRoutes {
    public static final String INVOICE_PATH = "/api/v1/invoices/{invoiceId}";
    public static final String ORDER_INVOICES_PATH = "/api/v1/orders/{orderId}/invoices";
    public static final String SHOP_INVOICES_PATH = "/api/v1/shops/{shopId}/invoices";
    private final LocalStores stores;
    private final InstanceRouter router;

    public InvoiceQueryRoutes(LocalStores stores, InstanceRouter router) {
        this.stores = stores;
        this.router = router;
    }

    /** A payment as the invoice counts it. */
    public record PaymentView(String paymentId, String txHash, Integer logIndex, long blockNumber, String status,
            int confirmations, BigDecimal amount, String asset) {
        public static PaymentView of(ChainPayment p) {
            return new PaymentView(p.getPaymentId(), p.getTransfer().getTxHash(), p.getTransfer().getLogIndex(),
                    p.getTransfer().getBlockNumber(), p.getStatus().name(), p.getTransfer().getConfirmations(),
                    p.getTransfer().getAmount().getBaseUnits(), p.getTransfer().getAmount().getAsset());
        }
    }

    /** An invoice as its customer and the staff see it; amounts in the asset's base units. */
    public record InvoiceView(String invoiceId, String orderId, String shopId, String status, List<String> flags,
            String reason, long chainId, String asset, String tokenContract, Integer decimals, BigDecimal due,
            String depositAddress, String rate, Long fiatMinor, String currency, BigDecimal paidSeen,
            BigDecimal paidConfirmed, List<PaymentView> payments, Instant createdAt, Instant expiresAt,
            Instant monitorUntil, long sequence) {
        public static InvoiceView of(Invoice i) {
            return new InvoiceView(i.getInvoiceId(), i.getOrderId(), i.getShopId(), i.getStatus().name(),
                    i.getFlags().stream().map(Enum::name).toList(), i.getReason(), i.getChainId(),
                    i.getDue() == null ? null : i.getDue().getAsset(), i.getDue() == null ? null : i.getDue().getTokenContract(),
                    i.getDue() == null ? null : i.getDue().getDecimals(), i.getDue() == null ? null : i.getDue().getBaseUnits(),
                    i.getDepositAddress(), i.getRate(), i.getFiat() == null ? null : i.getFiat().getAmountMinor(),
                    i.getFiat() == null ? null : i.getFiat().getCurrency(), i.getPaidSeen(), i.getPaidConfirmed(),
                    i.getPayments().stream().map(PaymentView::of).toList(), i.getCreatedAt(), i.getExpiresAt(),
                    i.getMonitorUntil(), i.getSequence());
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        LocalStores.answerMovedStoresWith503(routes);
        routes.get(INVOICE_PATH, this::invoice, Role.CUSTOMER, Role.STAFF, Role.MANAGER);
        routes.get(ORDER_INVOICES_PATH, this::orderInvoices, Role.CUSTOMER, Role.STAFF, Role.MANAGER);
        routes.get(SHOP_INVOICES_PATH, this::shopInvoices, Role.STAFF, Role.MANAGER);
    }

    private void orderInvoices(Context ctx) {
        String orderId = ctx.pathParam("orderId");
        OrderIds.Parsed order = OrderIds.parse(orderId).orElseThrow(() -> ProblemException.notFound("no such order"));
        authorize(ctx, order);
        OptionalInt partition = router.route(ctx, InvoiceStores.INVOICES, order.shopId());
        if (partition.isPresent()) {
            ctx.json(java.util.Map.of("orderId", orderId, "invoices", scan(ctx, partition, orderId + ".", i -> true)));
        }
    }

    private void shopInvoices(Context ctx) {
        String shopId = ctx.pathParam("shopId");
        Authentication.requireShop(ctx, shopId, Role.STAFF, Role.MANAGER);
        java.util.Set<String> statuses = csv(ctx.queryParam("status"));
        java.util.Set<String> flags = csv(ctx.queryParam("flag"));
        java.util.function.Predicate<Invoice> wanted = statuses.isEmpty() && flags.isEmpty()
                ? i -> i.getStatus() == io.brewstream.schemas.payments.InvoiceStatus.NEW
                        || i.getStatus() == io.brewstream.schemas.payments.InvoiceStatus.PROCESSING || !i.getFlags().isEmpty()
                : i -> (statuses.isEmpty() || statuses.contains(i.getStatus().name()))
                        && (flags.isEmpty() || i.getFlags().stream().anyMatch(f -> flags.contains(f.name())));
        OptionalInt partition = router.route(ctx, InvoiceStores.INVOICES, shopId);
        if (partition.isPresent()) {
            ctx.json(java.util.Map.of("shopId", shopId, "invoices",
                    scan(ctx, partition, io.brewstream.schemas.topics.Keys.shopPrefix(shopId), wanted)));
        }
    }

    private List<InvoiceView> scan(Context ctx, OptionalInt partition, String prefix,
            java.util.function.Predicate<Invoice> wanted) {
        List<InvoiceView> found = new java.util.ArrayList<>();
        try (org.apache.kafka.streams.state.KeyValueIterator<String, Invoice> it = stores.<String, Invoice>keyValueStore(
                InvoiceStores.INVOICES, InstanceRouter.allowStale(ctx), partition)
                .prefixScan(prefix, new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> {
                if (wanted.test(kv.value)) {
                    found.add(InvoiceView.of(kv.value));
                }
            });
        }
        return found;
    }

    private static java.util.Set<String> csv(String value) {
        return value == null || value.isBlank() ? java.util.Set.of()
                : java.util.Set.of(value.toUpperCase(java.util.Locale.ROOT).split("\\s*,\\s*"));
    }

    private static void authorize(Context ctx, OrderIds.Parsed order) {
        Principal who = Authentication.principal(ctx);
        boolean staff = who.actsForShop(order.shopId(), Role.STAFF, Role.MANAGER);
        boolean owner = who.has(Role.CUSTOMER) && who.customerId().map(order::placedBy).orElse(false);
        if (!staff && !owner) {
            throw Authentication.forbidden("only the order's customer or staff of its shop may read its invoices");
        }
    }

    private void invoice(Context ctx) {
        String invoiceId = ctx.pathParam("invoiceId");
        String orderId = invoiceId.contains(".") ? invoiceId.substring(0, invoiceId.lastIndexOf('.')) : "";
        OrderIds.Parsed order = OrderIds.parse(orderId).orElseThrow(() -> ProblemException.notFound("no such invoice"));
        authorize(ctx, order);
        OptionalInt partition = router.route(ctx, InvoiceStores.INVOICES, order.shopId());
        if (partition.isEmpty()) {
            return; // forwarded to the owner
        }
        Invoice invoice = stores.<String, Invoice>keyValueStore(InvoiceStores.INVOICES, InstanceRouter.allowStale(ctx),
                partition).get(invoiceId);
        if (invoice == null) {
            throw ProblemException.notFound("no such invoice (yet: a new one appears within a moment of its request)");
        }
        ctx.json(InvoiceView.of(invoice));
    }
}

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
 * {@code GET /api/v1/invoices/{invoiceId}}: a crypto invoice with its payments and their confirmations, for the
 * order's customer and the shop's staff. Invoices live in their shop's task, so the read goes to the instance that
 * owns the shop (the shop is part of the invoice id, through its order id).
 */
public final class InvoiceQueryRoutes implements HttpRoutes {
    public static final String INVOICE_PATH = "/api/v1/invoices/{invoiceId}";
    private final LocalStores stores;
    private final InstanceRouter router;

    public InvoiceQueryRoutes(LocalStores stores, InstanceRouter router) {
        this.stores = stores;
        this.router = router;
    }

    /** A payment as the invoice counts it. */
    public record PaymentView(String paymentId, String txHash, Integer logIndex, long blockNumber, String status,
            int confirmations, BigDecimal amount, String asset) {
        static PaymentView of(ChainPayment p) {
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
        static InvoiceView of(Invoice i) {
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
    }

    private void invoice(Context ctx) {
        String invoiceId = ctx.pathParam("invoiceId");
        String orderId = invoiceId.contains(".") ? invoiceId.substring(0, invoiceId.lastIndexOf('.')) : "";
        OrderIds.Parsed order = OrderIds.parse(orderId).orElseThrow(() -> ProblemException.notFound("no such invoice"));
        Principal who = Authentication.principal(ctx);
        boolean staff = who.actsForShop(order.shopId(), Role.STAFF, Role.MANAGER);
        boolean owner = who.has(Role.CUSTOMER) && who.customerId().map(order::placedBy).orElse(false);
        if (!staff && !owner) {
            throw Authentication.forbidden("only the order's customer or staff of its shop may read its invoices");
        }
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

package io.brewstream.topologies.payments;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.brewstream.schemas.common.CryptoAmount;
import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.payments.ChainPayment;
import io.brewstream.schemas.payments.ChainPaymentStatus;
import io.brewstream.schemas.payments.ExchangeRate;
import io.brewstream.schemas.payments.Invoice;
import io.brewstream.schemas.payments.InvoiceFlag;
import io.brewstream.schemas.payments.InvoiceRequest;
import io.brewstream.schemas.payments.InvoiceStatus;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;

/**
 * A crypto invoice's life, as crypto payment processors keep it. Pure.
 *
 * <ul>
 * <li>Made from what the order owes at a rate locked then: the due amount in the asset's base units, rounded up.</li>
 * <li>Payments add up. Seen in blocks, enough within the tolerance: PROCESSING; confirmed: SETTLED, which becomes
 * the order's payment (exactly what the order owed). Less than due: PAID_PARTIAL; more: PAID_OVER, reported.</li>
 * <li>Not paid in full by its expiry: EXPIRED. A payment after that is PAID_LATE and never settles by itself
 * (staff decide). A payment seen before expiry that confirms after it still settles.</li>
 * <li>A payment reverted in a reorganisation: taken off; an invoice it had settled goes back to waiting
 * (flagged REVERTED_AFTER_SETTLEMENT) and the order's payment is reverted; confirmed again, it settles again.</li>
 * </ul>
 */
public final class InvoiceRules {
    /** The source of a configured rate, which does not age (the demo's). */
    public static final String FIXED = "fixed";

    private InvoiceRules() {
    }

    /** Whether the order can be paid now: placed, priced, and still waiting for its payment. */
    public static boolean payable(io.brewstream.schemas.orders.Order order) {
        return order != null && order.getStatus() == io.brewstream.schemas.orders.OrderStatus.PLACED
                && order.getTotal() != null
                && order.getPendingChecks().contains(io.brewstream.schemas.orders.CheckType.PAYMENT);
    }

    /** Whether the order may still become payable: placed and not yet priced. */
    public static boolean mayBecomePayable(io.brewstream.schemas.orders.Order order) {
        return order == null || order.getStatus() == io.brewstream.schemas.orders.OrderStatus.PLACED
                && order.getTotal() == null;
    }

    /**
     * The request priced from the order itself: what it owes, or why it cannot be paid this way (unknown, someone
     * else's, not waiting for a payment).
     */
    public static InvoiceRequest priced(InvoiceRequest request, io.brewstream.schemas.orders.Order order) {
        InvoiceRequest.Builder priced = InvoiceRequest.newBuilder(request);
        if (order == null) {
            return priced.setRefusal("no such order waiting for a payment").build();
        }
        if (!order.getCustomerId().equals(request.getCustomerId())) {
            return priced.setRefusal("not this customer's order").build();
        }
        if (order.getStatus() != io.brewstream.schemas.orders.OrderStatus.PLACED || order.getTotal() == null
                || !order.getPendingChecks().contains(io.brewstream.schemas.orders.CheckType.PAYMENT)) {
            return priced.setRefusal("the order is not waiting for a payment (it is "
                    + order.getStatus().name().toLowerCase(java.util.Locale.ROOT)
                    + (order.getTotal() == null ? ", not yet priced" : "") + ")").build();
        }
        long paid = order.getAmountPaid() == null ? 0 : order.getAmountPaid().getAmountMinor();
        return priced.setOwed(Money.newBuilder(order.getTotal()).setAmountMinor(order.getTotal().getAmountMinor() - paid)
                .build()).build();
    }

    /** What an invoice request becomes: a NEW invoice, or an INVALID one that says why. */
    public static Invoice create(InvoiceRequest request, Optional<ExchangeRate> rate, int addressIndex,
            Optional<String> depositAddress, InvoiceSettings settings, Instant now) {
        Invoice.Builder invoice = Invoice.newBuilder().setInvoiceId(request.getInvoiceId()).setOrderId(request.getOrderId())
                .setShopId(request.getShopId()).setCustomerId(request.getCustomerId()).setChainId(settings.chainId())
                .setPaidSeen(BigDecimal.ZERO).setPaidConfirmed(BigDecimal.ZERO).setCreatedAt(now)
                .setExpiresAt(now.plus(settings.validFor())).setMonitorUntil(now.plus(settings.validFor())
                        .plus(settings.monitorFor())).setUpdatedAt(now).setSequence(1).setFiat(request.getOwed());
        InvoiceSettings.Asset asset = settings.assets().get(request.getAsset());
        String refusal = request.getRefusal() != null ? request.getRefusal()
                : asset == null ? "the asset " + request.getAsset() + " is not taken; one of " + settings.assets().keySet()
                : request.getOwed() == null || request.getOwed().getAmountMinor() <= 0 ? "the order owes nothing"
                : rate.isEmpty() ? "no rate for " + request.getAsset() + "/" + request.getOwed().getCurrency()
                : !FIXED.equals(rate.get().getSource()) && rate.get().getAt().plus(settings.maxRateAge()).isBefore(now)
                        ? "the rate for " + request.getAsset()
                        + " is older than " + settings.maxRateAge()
                : depositAddress.isEmpty() ? "the shop " + request.getShopId() + " takes no crypto (no xpub configured)"
                : null;
        if (refusal != null) {
            return invoice.setStatus(InvoiceStatus.INVALID).setReason(refusal).setMonitorUntil(now).build();
        }
        BigDecimal price = new BigDecimal(rate.get().getPrice());
        BigDecimal owed = BigDecimal.valueOf(request.getOwed().getAmountMinor()).movePointLeft(2);
        BigDecimal due = owed.divide(price, asset.decimals() + 2, RoundingMode.UP).movePointRight(asset.decimals())
                .setScale(0, RoundingMode.UP);
        return invoice.setStatus(InvoiceStatus.NEW).setRate(rate.get().getPrice())
                .setDue(CryptoAmount.newBuilder().setBaseUnits(due).setDecimals(asset.decimals()).setAsset(asset.symbol())
                        .setTokenContract(asset.tokenContract().orElse(null)).build())
                .setDepositAddress(depositAddress.get()).setAddressIndex(addressIndex).build();
    }

    /** A payment's news: the invoice with its payments and standing recomputed. */
    public static Invoice onPayment(Invoice current, ChainPayment payment, InvoiceSettings settings, Instant now) {
        if (current.getDue() == null) {
            return current; // a refused request has no address; nothing can pay it
        }
        List<ChainPayment> payments = new ArrayList<>();
        boolean known = false;
        for (ChainPayment p : current.getPayments()) {
            if (p.getPaymentId().equals(payment.getPaymentId())) {
                payments.add(payment);
                known = true;
            } else {
                payments.add(p);
            }
        }
        if (!known) {
            payments.add(payment);
        }
        BigDecimal seen = sum(payments, EnumSet.of(ChainPaymentStatus.SEEN, ChainPaymentStatus.CONFIRMED));
        BigDecimal confirmed = sum(payments, EnumSet.of(ChainPaymentStatus.CONFIRMED));
        Invoice.Builder next = Invoice.newBuilder(current).setPayments(payments).setPaidSeen(seen)
                .setPaidConfirmed(confirmed).setUpdatedAt(now).setSequence(current.getSequence() + 1);
        Set<InvoiceFlag> flags = EnumSet.noneOf(InvoiceFlag.class);
        flags.addAll(current.getFlags());
        BigDecimal due = current.getDue().getBaseUnits();
        BigDecimal enough = due.multiply(BigDecimal.valueOf(10_000L - settings.toleranceBasisPoints()))
                .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.UP);
        boolean firstSeenLate = !known && payment.getStatus() != ChainPaymentStatus.REVERTED
                && current.getStatus() == InvoiceStatus.EXPIRED;
        if (firstSeenLate) {
            flags.add(InvoiceFlag.PAID_LATE);
        }
        flags.remove(InvoiceFlag.PAID_PARTIAL);
        flags.remove(InvoiceFlag.PAID_OVER);
        if (seen.signum() > 0 && seen.compareTo(enough) < 0) {
            flags.add(InvoiceFlag.PAID_PARTIAL);
        }
        if (seen.compareTo(due) > 0) {
            flags.add(InvoiceFlag.PAID_OVER);
        }
        InvoiceStatus status = current.getStatus();
        String reason = current.getReason();
        switch (status) {
            case NEW, PROCESSING -> {
                if (confirmed.compareTo(enough) >= 0) {
                    status = InvoiceStatus.SETTLED;
                } else if (seen.compareTo(enough) >= 0) {
                    status = InvoiceStatus.PROCESSING;
                } else {
                    status = now.isAfter(current.getExpiresAt()) ? InvoiceStatus.EXPIRED : InvoiceStatus.NEW;
                }
            }
            case SETTLED -> {
                if (confirmed.compareTo(enough) < 0) {
                    // the order's payment is taken back; the same transfer confirmed on the new branch settles again
                    flags.add(InvoiceFlag.REVERTED_AFTER_SETTLEMENT);
                    reason = "a payment that settled this invoice was reverted by a chain reorganisation";
                    status = seen.compareTo(enough) >= 0 ? InvoiceStatus.PROCESSING
                            : now.isAfter(current.getExpiresAt()) ? InvoiceStatus.EXPIRED : InvoiceStatus.NEW;
                }
            }
            default -> {
                // EXPIRED and INVALID stay: a late payment is flagged for staff, never settled by itself
            }
        }
        if (flags.contains(InvoiceFlag.PAID_LATE) && reason == null) {
            reason = "paid after the invoice expired: staff decide";
        }
        return next.setStatus(status).setFlags(new ArrayList<>(flags)).setReason(reason).build();
    }

    /** A NEW invoice past its expiry is EXPIRED; anything else is left as it is. */
    public static Optional<Invoice> expire(Invoice current, Instant now) {
        if (current.getStatus() != InvoiceStatus.NEW || !now.isAfter(current.getExpiresAt())) {
            return Optional.empty();
        }
        return Optional.of(Invoice.newBuilder(current).setStatus(InvoiceStatus.EXPIRED).setUpdatedAt(now)
                .setSequence(current.getSequence() + 1).build());
    }

    /** Whether this change settled the invoice, so the order is paid now. */
    public static boolean justSettled(Invoice before, Invoice after) {
        return after.getStatus() == InvoiceStatus.SETTLED && before.getStatus() != InvoiceStatus.SETTLED;
    }

    /** Whether this change took a settlement back, so the order's payment must be reverted. */
    public static boolean justUnsettled(Invoice before, Invoice after) {
        return before.getStatus() == InvoiceStatus.SETTLED && after.getStatus() != InvoiceStatus.SETTLED;
    }

    /** The command that takes a reverted settlement's payment back from the order. */
    public static io.brewstream.schemas.orders.OrderCommand revert(Invoice unsettled, Instant now) {
        return io.brewstream.schemas.orders.OrderCommand.newBuilder()
                .setCommandId("revert:" + unsettled.getInvoiceId() + ":" + unsettled.getSequence())
                .setOrderId(unsettled.getOrderId()).setChannel(io.brewstream.schemas.common.Channel.UNKNOWN)
                .setIssuedAt(now).setCommand(io.brewstream.schemas.orders.RevertPayment.newBuilder()
                        .setPaymentId(paymentId(unsettled)).setAmount(unsettled.getFiat())
                        .setReason("the transfer that paid invoice " + unsettled.getInvoiceId()
                                + " left the chain in a reorganisation").build())
                .build();
    }

    private static String paymentId(Invoice invoice) {
        return "crypto:" + invoice.getInvoiceId();
    }

    /** The order's payment for a settled invoice: exactly what the order owed, its id the invoice's. */
    public static PaymentReceived payment(Invoice settled, Instant now) {
        ChainPayment last = settled.getPayments().stream().filter(p -> p.getStatus() == ChainPaymentStatus.CONFIRMED)
                .reduce((a, b) -> b).orElseThrow();
        Money owed = settled.getFiat();
        return PaymentReceived.newBuilder().setPaymentId(paymentId(settled)).setOrderId(settled.getOrderId())
                .setMethod(PaymentMethod.CRYPTO).setAmount(owed).setPaymentReference(settled.getDepositAddress())
                .setCrypto(last.getTransfer()).setReceivedAt(now).build();
    }

    private static BigDecimal sum(List<ChainPayment> payments, Set<ChainPaymentStatus> counted) {
        return payments.stream().filter(p -> counted.contains(p.getStatus()))
                .map(p -> p.getTransfer().getAmount().getBaseUnits()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}

package io.brewstream.topologies.fraud;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.brewstream.schemas.fraud.CustomerRisk;
import io.brewstream.schemas.fraud.DenyListEntry;
import io.brewstream.schemas.fraud.DenyListKind;
import io.brewstream.schemas.fraud.FraudDecision;
import io.brewstream.schemas.fraud.FraudLevel;
import io.brewstream.schemas.fraud.FraudReason;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.fraud.FraudSource;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.reference.Customer;
import io.brewstream.topologies.fraud.FraudSettings.Rules;

/**
 * The fraud rules, pure: what fires for an order from the side of its customer, its device, its IP and its first
 * payment, and the score, level and decision they add up to. Both ways of scoring use them: the fraud topology
 * (strict mode, one repartition per side) and the orders task ({@link InTaskFraud}).
 */
public final class FraudRules {
    /** What a customer is told when fraud scoring rejects their order. */
    public static final String CUSTOMER_FACING_REJECTION =
            "we could not accept this order; please pay at the counter or contact the shop";

    private final FraudSettings settings;

    public FraudRules(FraudSettings settings) {
        this.settings = settings;
    }

    FraudSettings settings() {
        return settings;
    }

    /** What a customer's (or a customer share's) recent orders keep: enough for every rule that counts them. */
    RecentOrders.Need[] customerNeeds() {
        return new RecentOrders.Need[] {
                RecentOrders.Need.orders(settings.shortWindow(), settings.customerOrdersShort()),
                RecentOrders.Need.orders(settings.longWindow(), settings.customerOrdersLong()) };
    }

    /** What a device's or an IP's recent orders keep. */
    RecentOrders.Need[] dimensionNeeds(FraudSource source) {
        boolean device = source == FraudSource.DEVICE;
        return new RecentOrders.Need[] {
                RecentOrders.Need.orders(settings.shortWindow(), device ? settings.deviceOrdersShort() : settings.ipOrdersShort()),
                RecentOrders.Need.customers(settings.longWindow(), device ? settings.customersPerDevice() : settings.customersPerIp()) };
    }

    /**
     * The customer's side of an order: velocity in both windows over {@code recent} (the order itself included),
     * the amount against the customer's history before it ({@code history}), the account's age, chargebacks and
     * the deny list.
     */
    List<FraudReason> customerSide(Order order, RecentOrders recent, CustomerRisk history, Customer customer,
            DenyListEntry denied) {
        Instant at = order.getPlacedAt();
        List<FraudReason> reasons = new ArrayList<>();
        long inShort = recent.orders(settings.shortWindow());
        if (inShort > settings.customerOrdersShort()) {
            reasons.add(fired(Rules.CUSTOMER_VELOCITY_SHORT, "at least " + inShort + " orders by this customer in "
                    + settings.shortWindow().toMinutes() + " minutes (limit " + settings.customerOrdersShort() + ")"));
        }
        long inLong = recent.orders(settings.longWindow());
        if (inLong > settings.customerOrdersLong()) {
            reasons.add(fired(Rules.CUSTOMER_VELOCITY_LONG, "at least " + inLong + " orders by this customer in "
                    + settings.longWindow().toMinutes() + " minutes (limit " + settings.customerOrdersLong() + ")"));
        }
        amount(history, order).ifPresent(reasons::add);
        if (customer != null && customer.getCreatedAt().isAfter(at.minus(settings.newAccountAge()))) {
            reasons.add(fired(Rules.NEW_ACCOUNT, "account created "
                    + Duration.between(customer.getCreatedAt(), at).toMinutes() + " minutes before the order"));
        }
        int chargebacks = Math.max(history.getChargebacks(), customer == null ? 0 : customer.getChargebacks());
        if (chargebacks > 0) {
            reasons.add(fired(Rules.CHARGEBACKS, chargebacks + " chargeback(s) on record"));
        }
        if (denied != null) {
            reasons.add(fired(Rules.DENY_LIST, "customer is denied: " + denied.getReason()));
        }
        return reasons;
    }

    /** The order's total against the customer's history: far above the usual (once there is enough of it). */
    private Optional<FraudReason> amount(CustomerRisk history, Order order) {
        if (order.getTotal() == null || history.getAmountCount() < settings.amountMinHistory()) {
            return Optional.empty();
        }
        long amount = order.getTotal().getAmountMinor();
        AmountStatistics stats = AmountStatistics.of(history);
        boolean unusual = stats.standardDeviation() > 0
                ? (amount - stats.mean()) / stats.standardDeviation() > settings.amountDeviations()
                : amount > 2 * stats.mean();
        return unusual ? Optional.of(fired(Rules.AMOUNT_DEVIATION, String.format(
                "total %d against the customer's usual %.0f (deviation %.0f, %d orders)", amount, stats.mean(),
                stats.standardDeviation(), history.getAmountCount()))) : Optional.empty();
    }

    /** Adds the order's total to a customer's (or share's) amount statistics: exact sums. */
    static void countAmount(CustomerRisk risk, Order order) {
        if (order.getTotal() == null) {
            return;
        }
        long amount = order.getTotal().getAmountMinor();
        risk.setAmountCount(risk.getAmountCount() + 1);
        risk.setAmountSumMinor(Math.addExact(risk.getAmountSumMinor(), amount));
        risk.setAmountSumOfSquares(Math.addExact(risk.getAmountSumOfSquares(), Math.multiplyExact(amount, amount)));
    }

    /** Adds a score to a customer's (or share's) score statistics. */
    static void countScore(CustomerRisk risk, FraudScore score) {
        long n = risk.getScoredOrders() + 1;
        risk.setScoredOrders(n);
        risk.setScoreMean(risk.getScoreMean() + (score.getScore() - risk.getScoreMean()) / n);
        risk.setLastScore(score);
    }

    /**
     * The device's or IP's side of an order: orders from it in the short window and customers on it in the long
     * one, over {@code recent} (the order itself included), and the deny list.
     */
    List<FraudReason> dimensionSide(FraudSource source, String value, RecentOrders recent, DenyListEntry denied) {
        boolean device = source == FraudSource.DEVICE;
        String what = device ? "device" : "IP";
        int velocityLimit = device ? settings.deviceOrdersShort() : settings.ipOrdersShort();
        int customerLimit = device ? settings.customersPerDevice() : settings.customersPerIp();
        List<FraudReason> reasons = new ArrayList<>();
        long orders = recent.orders(settings.shortWindow());
        if (orders > velocityLimit) {
            reasons.add(fired(device ? Rules.DEVICE_VELOCITY : Rules.IP_VELOCITY, "at least " + orders + " orders from this "
                    + what + " in " + settings.shortWindow().toMinutes() + " minutes (limit " + velocityLimit + ")"));
        }
        long customers = recent.customers(settings.longWindow());
        if (customers > customerLimit) {
            reasons.add(fired(device ? Rules.DEVICE_MANY_CUSTOMERS : Rules.IP_MANY_CUSTOMERS, "at least " + customers
                    + " customers on this " + what + " in " + settings.longWindow().toMinutes() + " minutes (limit "
                    + customerLimit + ")"));
        }
        if (denied != null) {
            reasons.add(fired(Rules.DENY_LIST, what + " " + value + " is denied: " + denied.getReason()));
        }
        return reasons;
    }

    /** The first payment's side: its card or paying address on the deny list. */
    List<FraudReason> paymentSide(PaymentReceived payment, Function<String, DenyListEntry> denyList) {
        List<FraudReason> reasons = new ArrayList<>();
        if (payment.getCardFingerprint() != null) {
            deny(DenyListKind.CARD_FINGERPRINT, payment.getCardFingerprint(), "card", denyList, reasons);
        }
        if (payment.getCrypto() != null) {
            deny(DenyListKind.PAYMENT_ADDRESS, payment.getCrypto().getFromAddress(), "paying address", denyList, reasons);
        }
        return reasons;
    }

    private void deny(DenyListKind kind, String value, String what, Function<String, DenyListEntry> denyList,
            List<FraudReason> reasons) {
        DenyListEntry denied = denyList.apply(DenyLists.key(kind, value));
        if (denied != null) {
            reasons.add(fired(Rules.DENY_LIST, what + " " + value + " is denied: " + denied.getReason()));
        }
    }

    /** The score of what fired: the sum of the contributions capped at 1, its level and the decision. */
    FraudScore score(String orderId, String customerId, String shopId, List<FraudReason> reasons, Instant now) {
        double score = Math.min(1.0, reasons.stream().mapToDouble(FraudReason::getContribution).sum());
        FraudLevel level = score < 0.3 ? FraudLevel.LOW : score < 0.6 ? FraudLevel.MEDIUM
                : score < 0.8 ? FraudLevel.HIGH : FraudLevel.CRITICAL;
        FraudDecision decision = score >= settings.rejectFrom() ? FraudDecision.REJECT
                : score >= settings.reviewFrom() ? FraudDecision.REVIEW : FraudDecision.APPROVE;
        return FraudScore.newBuilder().setOrderId(orderId).setCustomerId(customerId).setShopId(shopId).setScore(score)
                .setLevel(level).setDecision(decision).setReasons(List.copyOf(reasons)).setScoredAt(now).build();
    }

    /**
     * The FRAUD check's result for the order. The order, which its customer reads, gets a customer-facing reason
     * only; the score, the rules that fired and their evidence (deny-listed values among them) stay on
     * fraud.scores and fraud.alerts, for analysts.
     */
    static ValidationResult result(FraudScore score, Instant now) {
        boolean rejected = score.getDecision() == FraudDecision.REJECT;
        return ValidationResult.newBuilder().setOrderId(score.getOrderId()).setCheck(CheckType.FRAUD).setPassed(!rejected)
                .setReasons(rejected ? List.of(CUSTOMER_FACING_REJECTION) : List.of()).setCheckedAt(now).build();
    }

    /** Whether a score is alerted (fraud.alerts, the recent alerts). */
    public static boolean alerted(FraudScore score) {
        return score.getLevel() == FraudLevel.HIGH || score.getLevel() == FraudLevel.CRITICAL;
    }

    private FraudReason fired(String rule, String detail) {
        return Reasons.fired(settings, rule, detail);
    }
}

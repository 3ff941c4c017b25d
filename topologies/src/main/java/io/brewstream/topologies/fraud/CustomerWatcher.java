package io.brewstream.topologies.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.fraud.Chargeback;
import io.brewstream.schemas.fraud.CustomerRisk;
import io.brewstream.schemas.fraud.DenyListEntry;
import io.brewstream.schemas.fraud.DenyListKind;
import io.brewstream.schemas.fraud.FraudReason;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.fraud.FraudSignal;
import io.brewstream.schemas.fraud.FraudSource;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.reference.Customer;
import io.brewstream.topologies.fraud.FraudSettings.Rules;
import io.brewstream.topologies.reference.ReferenceTables;

/**
 * Looks at one order from the side of its customer (records arrive keyed by customer id): order velocity, the
 * amount against the customer's own history, account age, chargebacks, the deny list. Keeps the customer's
 * risk profile, which chargebacks and the customer's scores also update.
 */
final class CustomerWatcher implements Processor<String, SpecificRecord, String, FraudSignal> {
    private final FraudSettings settings;
    private ProcessorContext<String, FraudSignal> context;
    private KeyValueStore<String, CustomerRisk> risks;
    private KeyValueStore<String, Customer> customers;
    private KeyValueStore<String, DenyListEntry> denyList;

    CustomerWatcher(FraudSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, FraudSignal> context) {
        this.context = context;
        risks = context.getStateStore(FraudStores.CUSTOMER_RISK);
        customers = context.getStateStore(ReferenceTables.CUSTOMERS);
        denyList = context.getStateStore(ReferenceTables.DENY_LIST);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String customerId = record.key();
        CustomerRisk known = risks.get(customerId);
        CustomerRisk risk = known != null ? CustomerRisk.newBuilder(known).build()
                : CustomerRisk.newBuilder().setCustomerId(customerId).build();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (record.value() instanceof OrderEvent event) {
            if (!look(risk, event.getOrder(), record.timestamp())) {
                return;
            }
        } else if (record.value() instanceof Chargeback) {
            risk.setChargebacks(risk.getChargebacks() + 1);
        } else if (record.value() instanceof FraudScore score) {
            long n = risk.getScoredOrders() + 1;
            risk.setScoredOrders(n);
            risk.setScoreMean(risk.getScoreMean() + (score.getScore() - risk.getScoreMean()) / n);
            risk.setLastScore(score);
        } else {
            return;
        }
        risk.setUpdatedAt(now);
        risks.put(customerId, risk);
    }

    /** Scores the customer's side of an order and records it; false if it was seen already. */
    private boolean look(CustomerRisk risk, Order order, long timestamp) {
        Instant at = order.getPlacedAt();
        RecentOrders recent = new RecentOrders(risk.getRecent(), at, settings.longWindow());
        if (recent.has(order.getOrderId())) {
            return false;
        }
        recent.add(order.getOrderId(), order.getCustomerId());
        risk.setRecent(recent.keptFor(RecentOrders.Need.orders(settings.shortWindow(), settings.customerOrdersShort()),
                RecentOrders.Need.orders(settings.longWindow(), settings.customerOrdersLong())));

        List<FraudReason> reasons = new ArrayList<>();
        long inShort = recent.orders(settings.shortWindow());
        if (inShort > settings.customerOrdersShort()) {
            reasons.add(Reasons.fired(settings, Rules.CUSTOMER_VELOCITY_SHORT, "at least " + inShort
                    + " orders by this customer in " + settings.shortWindow().toMinutes() + " minutes (limit "
                    + settings.customerOrdersShort() + ")"));
        }
        long inLong = recent.orders(settings.longWindow());
        if (inLong > settings.customerOrdersLong()) {
            reasons.add(Reasons.fired(settings, Rules.CUSTOMER_VELOCITY_LONG, "at least " + inLong
                    + " orders by this customer in " + settings.longWindow().toMinutes() + " minutes (limit "
                    + settings.customerOrdersLong() + ")"));
        }
        amount(risk, order).ifPresent(reasons::add);
        Customer customer = customers.get(order.getCustomerId());
        if (customer != null && customer.getCreatedAt().isAfter(at.minus(settings.newAccountAge()))) {
            reasons.add(Reasons.fired(settings, Rules.NEW_ACCOUNT, "account created "
                    + java.time.Duration.between(customer.getCreatedAt(), at).toMinutes() + " minutes before the order"));
        }
        int chargebacks = Math.max(risk.getChargebacks(), customer == null ? 0 : customer.getChargebacks());
        if (chargebacks > 0) {
            reasons.add(Reasons.fired(settings, Rules.CHARGEBACKS, chargebacks + " chargeback(s) on record"));
        }
        DenyListEntry denied = denyList.get(DenyLists.key(DenyListKind.CUSTOMER, order.getCustomerId()));
        if (denied != null) {
            reasons.add(Reasons.fired(settings, Rules.DENY_LIST, "customer is denied: " + denied.getReason()));
        }
        context.forward(new Record<>(order.getOrderId(), FraudSignals.of(order, FraudSource.CUSTOMER, reasons), timestamp));
        return true;
    }

    /** Compares the order's total with the customer's history, then adds it to the history (exact sums). */
    private java.util.Optional<FraudReason> amount(CustomerRisk risk, Order order) {
        if (order.getTotal() == null) {
            return java.util.Optional.empty();
        }
        long amount = order.getTotal().getAmountMinor();
        long n = risk.getAmountCount();
        java.util.Optional<FraudReason> reason = java.util.Optional.empty();
        if (n >= settings.amountMinHistory()) {
            AmountStatistics stats = AmountStatistics.of(risk);
            boolean unusual = stats.standardDeviation() > 0
                    ? (amount - stats.mean()) / stats.standardDeviation() > settings.amountDeviations()
                    : amount > 2 * stats.mean();
            if (unusual) {
                reason = java.util.Optional.of(Reasons.fired(settings, Rules.AMOUNT_DEVIATION, String.format(
                        "total %d against the customer's usual %.0f (deviation %.0f, %d orders)", amount, stats.mean(),
                        stats.standardDeviation(), n)));
            }
        }
        risk.setAmountCount(n + 1);
        risk.setAmountSumMinor(Math.addExact(risk.getAmountSumMinor(), amount));
        risk.setAmountSumOfSquares(Math.addExact(risk.getAmountSumOfSquares(), Math.multiplyExact(amount, amount)));
        return reason;
    }
}

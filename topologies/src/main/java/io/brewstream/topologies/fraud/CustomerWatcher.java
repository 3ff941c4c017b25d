package io.brewstream.topologies.fraud;

import java.time.Instant;
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
import io.brewstream.topologies.reference.ReferenceTables;

/**
 * Looks at one order from the side of its customer (records arrive keyed by customer id): order velocity, the
 * amount against the customer's own history, account age, chargebacks, the deny list. Keeps the customer's
 * risk profile, which chargebacks and the customer's scores also update.
 */
final class CustomerWatcher implements Processor<String, SpecificRecord, String, FraudSignal> {
    private final FraudSettings settings;
    private final FraudRules rules;
    private ProcessorContext<String, FraudSignal> context;
    private KeyValueStore<String, CustomerRisk> risks;
    private KeyValueStore<String, Customer> customers;
    private KeyValueStore<String, DenyListEntry> denyList;

    CustomerWatcher(FraudSettings settings) {
        this.settings = settings;
        this.rules = new FraudRules(settings);
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
            FraudRules.countScore(risk, score);
        } else {
            return;
        }
        risk.setUpdatedAt(now);
        risks.put(customerId, risk);
    }

    /** Scores the customer's side of an order and records it; false if it was seen already. */
    private boolean look(CustomerRisk risk, Order order, long timestamp) {
        RecentOrders recent = new RecentOrders(risk.getRecent(), order.getPlacedAt(), settings.longWindow());
        if (recent.has(order.getOrderId())) {
            return false;
        }
        recent.add(order.getOrderId(), order.getCustomerId());
        risk.setRecent(recent.keptFor(rules.customerNeeds()));
        DenyListEntry denied = denyList.get(DenyLists.key(DenyListKind.CUSTOMER, order.getCustomerId()));
        List<FraudReason> reasons = rules.customerSide(order, recent, risk, customers.get(order.getCustomerId()), denied);
        FraudRules.countAmount(risk, order);
        context.forward(new Record<>(order.getOrderId(), FraudSignals.of(order, FraudSource.CUSTOMER, reasons), timestamp));
        return true;
    }
}

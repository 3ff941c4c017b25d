package io.brewstream.topologies.fraud;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.fraud.DenyListEntry;
import io.brewstream.schemas.fraud.DenyListKind;
import io.brewstream.schemas.fraud.FraudActivity;
import io.brewstream.schemas.fraud.FraudReason;
import io.brewstream.schemas.fraud.FraudSignal;
import io.brewstream.schemas.fraud.FraudSource;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.topologies.reference.ReferenceTables;

/**
 * Looks at one order from the side of its device or its IP address (records arrive keyed by it): how many
 * orders came from it lately, from how many customers, and whether it is denied.
 */
final class DimensionWatcher implements Processor<String, OrderEvent, String, FraudSignal> {
    private final FraudSource source;
    private final FraudSettings settings;
    private final FraudRules rules;
    private final String storeName;
    private ProcessorContext<String, FraudSignal> context;
    private KeyValueStore<String, FraudActivity> activity;
    private KeyValueStore<String, DenyListEntry> denyList;

    DimensionWatcher(FraudSource source, FraudSettings settings) {
        this.source = source;
        this.settings = settings;
        this.rules = new FraudRules(settings);
        this.storeName = source == FraudSource.DEVICE ? FraudStores.DEVICE_ACTIVITY : FraudStores.IP_ACTIVITY;
    }

    @Override
    public void init(ProcessorContext<String, FraudSignal> context) {
        this.context = context;
        activity = context.getStateStore(storeName);
        denyList = context.getStateStore(ReferenceTables.DENY_LIST);
    }

    @Override
    public void process(Record<String, OrderEvent> record) {
        Order order = record.value().getOrder();
        String key = record.key();
        Instant at = order.getPlacedAt();
        FraudActivity known = activity.get(key);
        RecentOrders recent = new RecentOrders(known == null ? List.of() : known.getEntries(), at, settings.longWindow());
        if (recent.has(order.getOrderId())) {
            return; // already looked at
        }
        recent.add(order.getOrderId(), order.getCustomerId());

        activity.put(key, FraudActivity.newBuilder().setEntries(recent.keptFor(rules.dimensionNeeds(source))).build());
        DenyListKind kind = source == FraudSource.DEVICE ? DenyListKind.DEVICE : DenyListKind.IP;
        List<FraudReason> reasons = rules.dimensionSide(source, key, recent, denyList.get(DenyLists.key(kind, key)));
        context.forward(new Record<>(order.getOrderId(), FraudSignals.of(order, source, reasons), record.timestamp()));
    }
}

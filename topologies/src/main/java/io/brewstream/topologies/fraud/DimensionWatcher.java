package io.brewstream.topologies.fraud;

import java.time.Instant;
import java.util.ArrayList;
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
import io.brewstream.topologies.fraud.FraudSettings.Rules;
import io.brewstream.topologies.reference.ReferenceTables;

/**
 * Looks at one order from the side of its device or its IP address (records arrive keyed by it): how many
 * orders came from it lately, from how many customers, and whether it is denied.
 */
final class DimensionWatcher implements Processor<String, OrderEvent, String, FraudSignal> {
    private final FraudSource source;
    private final FraudSettings settings;
    private final String storeName;
    private ProcessorContext<String, FraudSignal> context;
    private KeyValueStore<String, FraudActivity> activity;
    private KeyValueStore<String, DenyListEntry> denyList;

    DimensionWatcher(FraudSource source, FraudSettings settings) {
        this.source = source;
        this.settings = settings;
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

        boolean device = source == FraudSource.DEVICE;
        String what = device ? "device" : "IP";
        int velocityLimit = device ? settings.deviceOrdersShort() : settings.ipOrdersShort();
        int customerLimit = device ? settings.customersPerDevice() : settings.customersPerIp();
        activity.put(key, FraudActivity.newBuilder().setEntries(recent.keptFor(
                RecentOrders.Need.orders(settings.shortWindow(), velocityLimit),
                RecentOrders.Need.customers(settings.longWindow(), customerLimit))).build());

        List<FraudReason> reasons = new ArrayList<>();
        long orders = recent.orders(settings.shortWindow());
        if (orders > velocityLimit) {
            reasons.add(Reasons.fired(settings, device ? Rules.DEVICE_VELOCITY : Rules.IP_VELOCITY,
                    "at least " + orders + " orders from this " + what + " in " + settings.shortWindow().toMinutes()
                            + " minutes (limit " + velocityLimit + ")"));
        }
        long customers = recent.customers(settings.longWindow());
        if (customers > customerLimit) {
            reasons.add(Reasons.fired(settings, device ? Rules.DEVICE_MANY_CUSTOMERS : Rules.IP_MANY_CUSTOMERS,
                    "at least " + customers + " customers on this " + what + " in " + settings.longWindow().toMinutes()
                            + " minutes (limit " + customerLimit + ")"));
        }
        DenyListKind kind = device ? DenyListKind.DEVICE : DenyListKind.IP;
        DenyListEntry denied = denyList.get(DenyLists.key(kind, key));
        if (denied != null) {
            reasons.add(Reasons.fired(settings, Rules.DENY_LIST, what + " " + key + " is denied: " + denied.getReason()));
        }
        context.forward(new Record<>(order.getOrderId(), FraudSignals.of(order, source, reasons), record.timestamp()));
    }
}

package io.brewstream.topologies.fraud;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import io.brewstream.schemas.fraud.DenyListEntry;
import io.brewstream.schemas.fraud.FraudCase;
import io.brewstream.schemas.fraud.FraudReason;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.fraud.FraudSignal;
import io.brewstream.schemas.fraud.FraudSource;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.RetainedWindows;

/**
 * Gathers an order's signals from its customer, device and IP (and, when configured, the check of its first
 * payment against the deny list), then scores it: the sum of the rules' contributions, capped at 1, a level and
 * a decision; posts the FRAUD check result and keeps the recent alerts.
 */
final class CaseGatherer implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Set<FraudSource> ALL_SOURCES = EnumSet.allOf(FraudSource.class);
    /**
     * How long a case is kept after its first record (in stream time): decided ones guard against repeats, undecided
     * ones belong to orders that expired long ago. The store drops whole segments of old cases, so nothing scans it.
     */
    static final Duration CASE_RETENTION = Duration.ofDays(1);

    private final FraudSettings settings;
    private final FraudRules rules;
    private ProcessorContext<String, SpecificRecord> context;
    private WindowStore<String, FraudCase> cases;
    private KeyValueStore<String, FraudScore> alerts;
    private KeyValueStore<String, DenyListEntry> denyList;

    CaseGatherer(FraudSettings settings) {
        this.settings = settings;
        this.rules = new FraudRules(settings);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        cases = context.getStateStore(FraudStores.CASES);
        alerts = context.getStateStore(FraudStores.RECENT_ALERTS);
        denyList = context.getStateStore(ReferenceTables.DENY_LIST);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String orderId = record.key();
        KeyValue<Long, FraudCase> stored = find(orderId, record.timestamp());
        FraudCase known = stored == null ? null : stored.value;
        if (known != null && known.getDecided()) {
            return;
        }
        FraudCase fraudCase = known != null ? FraudCase.newBuilder(known).build()
                : FraudCase.newBuilder().setOrderId(orderId).build();
        if (record.value() instanceof FraudSignal signal) {
            if (fraudCase.getSignals().stream().anyMatch(s -> s.getSource() == signal.getSource())) {
                return;
            }
            List<FraudSignal> signals = new ArrayList<>(fraudCase.getSignals());
            signals.add(signal);
            fraudCase.setSignals(signals);
            fraudCase.setCustomerId(signal.getCustomerId());
            fraudCase.setShopId(signal.getShopId());
        } else if (record.value() instanceof PaymentReceived payment) {
            if (fraudCase.getPaymentReasons() != null) {
                return;
            }
            fraudCase.setPaymentReasons(checkPayment(payment));
        } else {
            return;
        }
        if (complete(fraudCase)) {
            decide(fraudCase);
            fraudCase.setDecided(true);
        }
        fraudCase.setUpdatedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()));
        // in the window of its first record, so each change replaces the case instead of adding a second one
        cases.put(orderId, fraudCase, stored == null ? record.timestamp() : stored.key);
    }

    /** The order's case with the time it is filed under, or null. */
    private KeyValue<Long, FraudCase> find(String orderId, long recordTimestamp) {
        try (WindowStoreIterator<FraudCase> it = cases.fetch(orderId,
                RetainedWindows.lookBackFrom(recordTimestamp, CASE_RETENTION), RetainedWindows.LATEST)) {
            return it.hasNext() ? it.next() : null;
        }
    }

    private List<FraudReason> checkPayment(PaymentReceived payment) {
        return rules.paymentSide(payment, denyList::get);
    }

    private boolean complete(FraudCase fraudCase) {
        Set<FraudSource> seen = EnumSet.noneOf(FraudSource.class);
        fraudCase.getSignals().forEach(s -> seen.add(s.getSource()));
        return seen.containsAll(ALL_SOURCES) && (fraudCase.getPaymentReasons() != null || !settings.waitForPayment());
    }

    private void decide(FraudCase fraudCase) {
        List<FraudReason> reasons = new ArrayList<>();
        fraudCase.getSignals().forEach(s -> reasons.addAll(s.getReasons()));
        if (fraudCase.getPaymentReasons() != null) {
            reasons.addAll(fraudCase.getPaymentReasons());
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        FraudScore fraudScore = rules.score(fraudCase.getOrderId(), fraudCase.getCustomerId(), fraudCase.getShopId(),
                reasons, now);
        forward(fraudCase.getOrderId(), fraudScore, now);
        forward(fraudCase.getOrderId(), FraudRules.result(fraudScore, now), now);
        if (FraudRules.alerted(fraudScore)) {
            RecentAlerts.add(alerts, fraudScore);
        }
    }

    private void forward(String key, SpecificRecord value, Instant now) {
        context.forward(new Record<>(key, value, now.toEpochMilli()));
    }
}

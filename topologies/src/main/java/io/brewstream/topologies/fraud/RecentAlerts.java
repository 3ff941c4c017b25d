package io.brewstream.topologies.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.fraud.FraudScore;

/** The newest high and critical scores of a task ({@link FraudStores#RECENT_ALERTS}), at most {@link #KEPT}. */
final class RecentAlerts {
    static final int KEPT = 200;

    private RecentAlerts() {
    }

    static void add(KeyValueStore<String, FraudScore> alerts, FraudScore score) {
        alerts.put(key(score.getScoredAt(), score.getOrderId()), score);
        // the store holds at most KEPT + 1 entries here: the walk is bounded, not a scan of something that grows
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, FraudScore> it = alerts.all()) {
            int kept = 0;
            while (it.hasNext()) {
                KeyValue<String, FraudScore> kv = it.next();
                if (++kept > KEPT) {
                    stale.add(kv.key);
                }
            }
        }
        stale.forEach(alerts::delete);
    }

    /** Newest first: the key sorts by inverted time. */
    static String key(Instant at, String orderId) {
        return String.format("%019d|%s", Long.MAX_VALUE - at.toEpochMilli(), orderId);
    }
}

package io.brewstream.ingress.payments;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The webhook events this ingress instance recorded lately, with the signature timestamp each came with, so a
 * redelivery of the same event is answered without writing it again and a replay of the very same delivery is
 * told apart. Bounded (oldest forgotten first) and per instance: the orders topology's own deduplication by
 * payment id is what makes a payment count once across instances and restarts.
 */
final class RecentDeliveries {
    enum Seen { NEW, SAME_EVENT, SAME_DELIVERY }

    private final Map<String, Long> timestamps;

    RecentDeliveries(int capacity) {
        this.timestamps = new LinkedHashMap<>(1024, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Seen check(String eventId, long signatureTimestamp) {
        Long seenWith = timestamps.get(eventId);
        if (seenWith == null) {
            return Seen.NEW;
        }
        return seenWith == signatureTimestamp ? Seen.SAME_DELIVERY : Seen.SAME_EVENT;
    }

    synchronized void remember(String eventId, long signatureTimestamp) {
        timestamps.putIfAbsent(eventId, signatureTimestamp);
    }
}

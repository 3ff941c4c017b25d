package io.brewstream.topologies.fraud;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.brewstream.schemas.fraud.FraudActivityEntry;

/**
 * The recent orders of one customer, device or IP address, oldest first, as of one order's placement time.
 * <p>
 * The velocity and many-customers rules only ask whether more than a limit of orders (or customers) fall in a
 * window, so the newest limit + 1 of them answer that now and at any later order; {@link #keptFor} drops the
 * rest. Without the cut one busy key (a shop's Wi-Fi, a chat bot's gateway, a proxy) would keep every order of
 * the last hour and rewrite them all for each new one.
 */
final class RecentOrders {
    private final List<FraudActivityEntry> entries;
    private final Instant at;

    /** The stored entries still inside {@code longWindow} of {@code at}. */
    RecentOrders(List<FraudActivityEntry> stored, Instant at, Duration longWindow) {
        this.at = at;
        Instant oldest = at.minus(longWindow);
        this.entries = new ArrayList<>(stored.size() + 1);
        for (FraudActivityEntry entry : stored) {
            if (entry.getAt().isAfter(oldest)) {
                entries.add(entry);
            }
        }
    }

    boolean has(String orderId) {
        for (FraudActivityEntry entry : entries) {
            if (entry.getOrderId().equals(orderId)) {
                return true;
            }
        }
        return false;
    }

    /** Adds an order in placement order (orders can arrive a little out of it). */
    void add(String orderId, String customerId) {
        int position = entries.size();
        while (position > 0 && entries.get(position - 1).getAt().isAfter(at)) {
            position--;
        }
        entries.add(position, FraudActivityEntry.newBuilder().setOrderId(orderId).setCustomerId(customerId).setAt(at)
                .build());
    }

    /** Adds an entry as it is (with its device and IP), in placement order, unless its order is there already. */
    void add(FraudActivityEntry entry) {
        if (has(entry.getOrderId())) {
            return;
        }
        int position = entries.size();
        while (position > 0 && entries.get(position - 1).getAt().isAfter(entry.getAt())) {
            position--;
        }
        entries.add(position, entry);
    }

    /** Orders placed within {@code window} of this one: exact up to the limit kept for it, a lower bound above. */
    long orders(Duration window) {
        Instant from = at.minus(window);
        return entries.stream().filter(e -> e.getAt().isAfter(from)).count();
    }

    /** Distinct customers within {@code window} of this order: exact up to the limit kept, a lower bound above. */
    long customers(Duration window) {
        Instant from = at.minus(window);
        return entries.stream().filter(e -> e.getAt().isAfter(from)).map(FraudActivityEntry::getCustomerId)
                .distinct().count();
    }

    /** What to keep: the newest {@code limit + 1} orders within a window, or the newest of as many customers. */
    record Need(Duration window, int limit, boolean distinctCustomers) {
        static Need orders(Duration window, int limit) {
            return new Need(window, limit, false);
        }

        static Need customers(Duration window, int limit) {
            return new Need(window, limit, true);
        }
    }

    /** The entries any of the needs can still use, oldest first. */
    List<FraudActivityEntry> keptFor(Need... needs) {
        boolean[] keep = new boolean[entries.size()];
        for (Need need : needs) {
            Instant from = at.minus(need.window());
            long room = (long) need.limit() + 1;
            Set<String> customersSeen = new HashSet<>();
            for (int i = entries.size() - 1; i >= 0 && room > 0; i--) {
                FraudActivityEntry entry = entries.get(i);
                if (!entry.getAt().isAfter(from) || (need.distinctCustomers() && !customersSeen.add(entry.getCustomerId()))) {
                    continue;
                }
                keep[i] = true;
                room--;
            }
        }
        List<FraudActivityEntry> kept = new ArrayList<>();
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                kept.add(entries.get(i));
            }
        }
        return kept;
    }
}

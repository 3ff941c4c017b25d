package io.brewstream.topologies.arbitrage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.WithdrawalFee;

/**
 * The venues' fees and withdrawal routes from their global stores, decoded once and read again every second: a
 * change in the exchanges tables takes effect within about a second, and an update does not look up and decode
 * them for every venue it is compared with.
 */
final class VenueCosts {
    private static final long REFRESH_MILLIS = 1_000;
    private final KeyValueStore<String, ExchangeFees> fees;
    private final KeyValueStore<String, WithdrawalFee> withdrawals;
    private final Duration maxTransferTime;
    private final Map<String, Optional<ExchangeFees>> feesByVenue = new HashMap<>();
    private final Map<String, Integer> takerFees = new HashMap<>();
    private final Map<String, FeeSchedule.Route> routes = new HashMap<>();
    private long loadedAt;

    VenueCosts(KeyValueStore<String, ExchangeFees> fees, KeyValueStore<String, WithdrawalFee> withdrawals,
            Duration maxTransferTime) {
        this.fees = fees;
        this.withdrawals = withdrawals;
        this.maxTransferTime = maxTransferTime;
    }

    /** The venue's fees, or null when none are known. */
    ExchangeFees fees(String venue) {
        refresh();
        return feesByVenue.computeIfAbsent(venue, v -> Optional.ofNullable(fees.get(v))).orElse(null);
    }

    /** The venue's taker fee at its tier ({@link FeeSchedule#takerFeeBasisPoints}); the venue's fees must be known. */
    int takerFeeBasisPoints(String venue) {
        refresh();
        return takerFees.computeIfAbsent(venue, v -> FeeSchedule.takerFeeBasisPoints(fees(v)));
    }

    /** How the asset leaves the venue ({@link FeeSchedule#route}). */
    FeeSchedule.Route route(String venue, String asset) {
        refresh();
        return routes.computeIfAbsent(venue + "|" + asset, key -> {
            List<WithdrawalFee> listed = new ArrayList<>();
            try (KeyValueIterator<String, WithdrawalFee> it = withdrawals.prefixScan(key + "|", new StringSerializer())) {
                it.forEachRemaining(kv -> listed.add(kv.value));
            }
            return FeeSchedule.route(listed, maxTransferTime);
        });
    }

    private void refresh() {
        long now = System.currentTimeMillis();
        if (now - loadedAt >= REFRESH_MILLIS) {
            feesByVenue.clear();
            takerFees.clear();
            routes.clear();
            loadedAt = now;
        }
    }
}

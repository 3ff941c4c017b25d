package io.brewstream.topologies.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.fraud.CustomerRisk;
import io.brewstream.schemas.fraud.FraudActivityEntry;
import io.brewstream.schemas.fraud.FraudCase;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.fraud.FraudSource;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;

/**
 * Customer, device and IP profiles for fraud in the orders task, and the stores that hold them.
 * <p>
 * Each orders partition owns its share of every customer it saw (recent orders with their device and IP, amount
 * and score statistics, chargebacks, orders waiting for payment): the task keeps it in a store of its own and
 * writes each change to the compacted {@code fraud.activity} topic, keyed {@code customerId:partition}. Every
 * orders instance reads that topic whole into the {@link FraudStores#PROFILES} global store, where
 * {@link ProfileFolder} also folds the shares' new orders into device and IP profiles. A customer's profile is the
 * sum of its shares; one partition's share is never written by another, so nothing is lost to concurrent
 * updates, and the topic's latest share per key is enough to rebuild everything (compaction keeps exactly that).
 */
public final class FraudProfiles {
    private static final String SHARE = "c|";
    private static final String DEVICE = "d|";
    private static final String IP = "i|";

    private FraudProfiles() {
    }

    /** The stores of fraud in the orders task: the global profiles, the task's customer shares and pending cases. */
    public static void addTo(StreamsBuilder builder, AvroSerdes serdes, FraudRules rules) {
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.PROFILES),
                        Serdes.String(), Topics.FRAUD_ACTIVITY.valueSerde(serdes)).withLoggingDisabled(),
                Topics.FRAUD_ACTIVITY.name(),
                Consumed.with(Topics.FRAUD_ACTIVITY.keySerde(), Topics.FRAUD_ACTIVITY.valueSerde(serdes))
                        .withName("read-" + Topics.FRAUD_ACTIVITY.name()),
                () -> new ProfileFolder(rules));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.CUSTOMER_SHARES),
                Serdes.String(), serdes.valueSerde(CustomerRisk.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.PENDING_CASES),
                Serdes.String(), serdes.valueSerde(FraudCase.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.RECENT_ALERTS),
                Serdes.String(), Topics.FRAUD_ALERTS.valueSerde(serdes)).withCachingEnabled());
    }

    /** The names of the stores an orders task connects to its processor. */
    public static String[] taskStores() {
        return new String[] { FraudStores.CUSTOMER_SHARES, FraudStores.PENDING_CASES, FraudStores.RECENT_ALERTS };
    }

    static String dimensionKey(FraudSource source, String value) {
        return (source == FraudSource.DEVICE ? DEVICE : IP) + value;
    }

    /**
     * Every orders partition's share of a customer in the global store, but {@code exceptPartition}'s (-1: none):
     * a key lookup per partition of the order topics, the only partitions that write shares.
     */
    static List<CustomerRisk> shares(ReadOnlyKeyValueStore<String, CustomerRisk> profiles, String customerId,
            int exceptPartition) {
        List<CustomerRisk> shares = new ArrayList<>();
        for (int partition = 0; partition < Topics.ORDER_COMMANDS.partitions(); partition++) {
            CustomerRisk share = partition == exceptPartition ? null
                    : profiles.get(SHARE + Keys.customerShare(customerId, partition));
            if (share != null) {
                shares.add(share);
            }
        }
        return shares;
    }

    /** A customer's whole profile as the global store has it (what the read API shows), or null if none. */
    public static CustomerRisk profile(ReadOnlyKeyValueStore<String, CustomerRisk> profiles, String customerId) {
        List<CustomerRisk> shares = shares(profiles, customerId, -1);
        return shares.isEmpty() ? null : sum(customerId, shares);
    }

    /**
     * The sum of a customer's shares: recent orders merged (each once, oldest first), counts and sums added, the
     * mean score weighted by the orders scored, the latest score and change.
     */
    static CustomerRisk sum(String customerId, List<CustomerRisk> shares) {
        CustomerRisk total = CustomerRisk.newBuilder().setCustomerId(customerId).build();
        List<FraudActivityEntry> recent = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> unpaid = new LinkedHashSet<>();
        double scoreSum = 0;
        for (CustomerRisk share : shares) {
            for (FraudActivityEntry entry : share.getRecent()) {
                if (seen.add(entry.getOrderId())) {
                    recent.add(entry);
                }
            }
            total.setAmountCount(total.getAmountCount() + share.getAmountCount());
            total.setAmountSumMinor(Math.addExact(total.getAmountSumMinor(), share.getAmountSumMinor()));
            total.setAmountSumOfSquares(Math.addExact(total.getAmountSumOfSquares(), share.getAmountSumOfSquares()));
            total.setChargebacks(total.getChargebacks() + share.getChargebacks());
            total.setScoredOrders(total.getScoredOrders() + share.getScoredOrders());
            scoreSum += share.getScoreMean() * share.getScoredOrders();
            FraudScore last = share.getLastScore();
            if (last != null && (total.getLastScore() == null || last.getScoredAt().isAfter(total.getLastScore().getScoredAt()))) {
                total.setLastScore(last);
            }
            Instant updated = share.getUpdatedAt();
            if (updated != null && (total.getUpdatedAt() == null || updated.isAfter(total.getUpdatedAt()))) {
                total.setUpdatedAt(updated);
            }
            unpaid.addAll(share.getUnpaidOrderIds());
        }
        recent.sort(Comparator.comparing(FraudActivityEntry::getAt));
        total.setRecent(recent);
        total.setScoreMean(total.getScoredOrders() == 0 ? 0 : scoreSum / total.getScoredOrders());
        total.setUnpaidOrderIds(new ArrayList<>(unpaid));
        return total;
    }

    /** The recent orders of a device or IP in the global store. */
    static List<FraudActivityEntry> dimension(ReadOnlyKeyValueStore<String, CustomerRisk> profiles, FraudSource source,
            String value) {
        CustomerRisk profile = profiles.get(dimensionKey(source, value));
        return profile == null ? List.of() : profile.getRecent();
    }

    /**
     * Keeps the global profiles equal to fraud.activity: each share as written, and each order new in a share
     * added to the profiles of its device and IP (cut to what their rules need). Kafka Streams runs it again over
     * the topic when it restores the store, so the device and IP profiles are rebuilt, not copied.
     */
    static final class ProfileFolder implements Processor<String, CustomerRisk, Void, Void> {
        private final FraudRules rules;
        private KeyValueStore<String, CustomerRisk> profiles;

        ProfileFolder(FraudRules rules) {
            this.rules = rules;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            profiles = context.getStateStore(FraudStores.PROFILES);
        }

        @Override
        public void process(Record<String, CustomerRisk> record) {
            if (record.key() == null) {
                return;
            }
            String key = SHARE + record.key();
            CustomerRisk share = record.value();
            if (share == null) {
                profiles.delete(key);
                return;
            }
            CustomerRisk before = profiles.get(key);
            profiles.put(key, share);
            Set<String> known = new HashSet<>();
            if (before != null) {
                before.getRecent().forEach(e -> known.add(e.getOrderId()));
            }
            for (FraudActivityEntry entry : share.getRecent()) {
                if (!known.contains(entry.getOrderId())) {
                    fold(entry);
                }
            }
        }

        private void fold(FraudActivityEntry entry) {
            if (entry.getDeviceId() != null) {
                add(FraudSource.DEVICE, entry.getDeviceId(), entry);
            }
            if (entry.getClientIp() != null) {
                add(FraudSource.IP, entry.getClientIp(), entry);
            }
        }

        private void add(FraudSource source, String value, FraudActivityEntry entry) {
            String key = dimensionKey(source, value);
            CustomerRisk profile = profiles.get(key);
            RecentOrders recent = new RecentOrders(profile == null ? List.of() : profile.getRecent(), entry.getAt(),
                    rules.settings().longWindow());
            recent.add(entry);
            profiles.put(key, CustomerRisk.newBuilder().setCustomerId(key)
                    .setRecent(recent.keptFor(rules.dimensionNeeds(source))).build());
        }
    }
}

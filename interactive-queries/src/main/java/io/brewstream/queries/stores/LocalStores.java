package io.brewstream.queries.stores;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.brewstream.platform.http.ProblemException;

/**
 * The state stores of one running topology. While it is starting, rebalancing or restoring, a read answers
 * 503 with Retry-After instead of failing.
 */
public final class LocalStores {
    private static final int RETRY_AFTER_SECONDS = 1;
    private final KafkaStreams streams;

    public LocalStores(KafkaStreams streams) {
        this.streams = streams;
    }

    public <K, V> ReadOnlyKeyValueStore<K, V> keyValueStore(String storeName) {
        return keyValueStore(storeName, false);
    }

    /** With {@code allowStale}, standby replicas and restoring stores answer too, even during a rebalance. */
    public <K, V> ReadOnlyKeyValueStore<K, V> keyValueStore(String storeName, boolean allowStale) {
        return keyValueStore(storeName, allowStale, java.util.OptionalInt.empty());
    }

    /** One partition's store, or all local partitions' when none is given. */
    public <K, V> ReadOnlyKeyValueStore<K, V> keyValueStore(String storeName, boolean allowStale,
            java.util.OptionalInt partition) {
        return store(storeName, QueryableStoreTypes.keyValueStore(), allowStale, partition);
    }

    public <T> T store(String storeName, org.apache.kafka.streams.state.QueryableStoreType<T> type, boolean allowStale,
            java.util.OptionalInt partition) {
        if (!allowStale) {
            requireRunning(storeName);
        }
        try {
            StoreQueryParameters<T> parameters = StoreQueryParameters.fromNameAndType(storeName, type);
            if (allowStale) {
                parameters = parameters.enableStaleStores();
            }
            if (partition.isPresent()) {
                parameters = parameters.withPartition(partition.getAsInt());
            }
            return streams.store(parameters);
        } catch (InvalidStateStoreException e) {
            throw ProblemException.unavailable("the " + storeName + " store is not available: " + e.getMessage(),
                    RETRY_AFTER_SECONDS);
        }
    }

    /** A 503 unless the application is running (not starting, rebalancing or restoring). */
    public void requireRunning(String storeName) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw ProblemException.unavailable("the " + storeName + " store is not available while the application is "
                    + streams.state(), RETRY_AFTER_SECONDS);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Every read route's answer to a store that moves away while it is read (scans included): 503 with
     * Retry-After, never a 500.
     */
    public static void answerMovedStoresWith503(io.javalin.config.RoutesConfig routes) {
        routes.exception(InvalidStateStoreException.class, (e, ctx) -> {
            ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            io.brewstream.platform.http.HttpService.problem(ctx, io.brewstream.platform.http.Problem.of(503,
                    "Service unavailable", "the store moved during the read: " + e.getMessage()));
        });
    }

    /** A single key lookup that turns a store closing under the read into a 503. */
    public <K, V> V get(String storeName, K key) {
        return get(storeName, key, false);
    }

    public <K, V> V get(String storeName, K key, boolean allowStale) {
        return get(storeName, key, allowStale, java.util.OptionalInt.empty());
    }

    public <K, V> V get(String storeName, K key, boolean allowStale, java.util.OptionalInt partition) {
        try {
            return this.<K, V>keyValueStore(storeName, allowStale, partition).get(key);
        } catch (InvalidStateStoreException e) {
            throw ProblemException.unavailable("the " + storeName + " store moved during the read: " + e.getMessage(),
                    RETRY_AFTER_SECONDS);
        }
    }
}

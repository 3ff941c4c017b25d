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
        if (!allowStale) {
            requireRunning(storeName);
        }
        try {
            StoreQueryParameters<ReadOnlyKeyValueStore<K, V>> parameters =
                    StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore());
            return streams.store(allowStale ? parameters.enableStaleStores() : parameters);
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

    /** A single key lookup that turns a store closing under the read into a 503. */
    public <K, V> V get(String storeName, K key) {
        return get(storeName, key, false);
    }

    public <K, V> V get(String storeName, K key, boolean allowStale) {
        try {
            return this.<K, V>keyValueStore(storeName, allowStale).get(key);
        } catch (InvalidStateStoreException e) {
            throw ProblemException.unavailable("the " + storeName + " store moved during the read: " + e.getMessage(),
                    RETRY_AFTER_SECONDS);
        }
    }
}

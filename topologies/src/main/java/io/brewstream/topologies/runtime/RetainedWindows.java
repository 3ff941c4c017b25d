package io.brewstream.topologies.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * Lookups in window stores used as "remember this id for a while": a key is filed under the time of its first
 * record, and the store drops segments older than its retention by stream time.
 *
 * <p>A lookup must not ask from the epoch: with caching on, {@code CachingWindowStore} walks its cache one segment
 * interval at a time from the first segment asked for to the newest one seen (KAFKA-7652), tens of thousands of
 * steps for a range that starts in 1970. Nothing older than the retention before the record can still be there, so
 * that is where a lookup starts.
 */
public final class RetainedWindows {
    /** The open end of a lookup; the store stops at the newest time it has seen. */
    public static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

    private RetainedWindows() {
    }

    /** Where to start looking for a key on behalf of a record of this time in a store of this retention. */
    public static Instant lookBackFrom(long recordTimestamp, Duration retention) {
        return Instant.ofEpochMilli(Math.max(0, recordTimestamp - retention.toMillis()));
    }
}

package io.brewstream.topologies.runtime;

/**
 * Keys of a deadline index: zero-padded epoch millis, then the id, so a store's keys sort by deadline and a range
 * scan up to now finds exactly what is due (no punctuation scans a whole store).
 */
public final class DeadlineKeys {
    private DeadlineKeys() {
    }

    /** The key of {@code id}'s deadline at {@code epochMillis} (String.format cost more than the rest of a command). */
    public static String key(long epochMillis, String id) {
        String millis = Long.toString(epochMillis);
        return "0".repeat(Math.max(0, 13 - millis.length())) + millis + "|" + id;
    }

    /** The exclusive upper bound of a range scan for the deadlines at or before {@code epochMillis}. */
    public static String upTo(long epochMillis) {
        return key(epochMillis + 1, "");
    }
}

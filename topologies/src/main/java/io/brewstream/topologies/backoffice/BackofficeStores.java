package io.brewstream.topologies.backoffice;

import java.time.Duration;

/** Names of the back-office topology's state stores. */
public final class BackofficeStores {
    /** Event id to when it was first seen (epoch millis), for {@link #DEDUPLICATION_WINDOW}. */
    public static final String SEEN_EVENTS = "backoffice-seen-events";
    /** How long an event id is remembered: longer than any redelivery after a connector restart. */
    public static final Duration DEDUPLICATION_WINDOW = Duration.ofDays(7);

    private BackofficeStores() {
    }
}

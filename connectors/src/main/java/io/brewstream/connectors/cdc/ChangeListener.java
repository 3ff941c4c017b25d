package io.brewstream.connectors.cdc;

import java.time.Duration;

/** Told about every change once Kafka acknowledged it; for metrics. */
@FunctionalInterface
public interface ChangeListener {
    ChangeListener NONE = (topic, commitToAck) -> { };

    /** @param commitToAck from the database's commit to Kafka's acknowledgement */
    void published(String topic, Duration commitToAck);
}

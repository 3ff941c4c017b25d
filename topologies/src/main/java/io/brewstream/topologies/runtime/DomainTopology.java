package io.brewstream.topologies.runtime;

import org.apache.kafka.streams.Topology;

import io.brewstream.schemas.serde.AvroSerdes;

/** One domain's Kafka Streams topology; each runs as its own application (its own application id). */
public interface DomainTopology {
    /** Short name, e.g. orders; the application id is {@code <prefix>-<name>}. */
    String name();

    Topology build(AvroSerdes serdes);
}

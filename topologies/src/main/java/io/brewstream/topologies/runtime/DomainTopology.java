package io.brewstream.topologies.runtime;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;

import io.brewstream.schemas.serde.AvroSerdes;

/** One domain's Kafka Streams topology; each runs as its own application (its own application id). */
public interface DomainTopology {
    /** Short name, e.g. orders; the application id is {@code <prefix>-<name>}. */
    String name();

    /** Adds the domain's stores, processors and topics to the builder. */
    void define(StreamsBuilder builder, AvroSerdes serdes);

    /** Streams settings this domain needs different from the others' (see {@code StreamsApp}); none by default. */
    default Map<String, Object> configOverrides() {
        return Map.of();
    }

    /** The topology for the given streams configuration, with its optimizations applied. */
    default Topology build(AvroSerdes serdes, Properties streamsConfig) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsConfig)));
        define(builder, serdes);
        return builder.build(streamsConfig);
    }
}

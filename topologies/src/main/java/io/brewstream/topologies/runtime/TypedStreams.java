package io.brewstream.topologies.runtime;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;

/**
 * A processor that takes several record types in and sends several out works on a stream of
 * {@link SpecificRecord}: these helpers read a registry topic into such a stream and route each type out to
 * its topic.
 */
public final class TypedStreams {
    private TypedStreams() {
    }

    /** Reads a topic as a stream of its records, typed as {@link SpecificRecord}. */
    public static <V extends SpecificRecord> KStream<String, SpecificRecord> read(StreamsBuilder builder,
            AvroSerdes serdes, Topic<V> topic) {
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde(serdes))
                        .withName("read-" + topic.name()))
                .mapValues(value -> (SpecificRecord) value, Named.as("as-input-" + topic.name()));
    }

    /** Writes the records of one type to their topic. */
    public static <V extends SpecificRecord> void write(KStream<String, SpecificRecord> outputs, AvroSerdes serdes,
            Topic<V> topic, Class<V> type) {
        outputs.filter((key, value) -> type.isInstance(value), Named.as("only-" + topic.name()))
                .mapValues(type::cast, Named.as("as-" + topic.name()))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde(serdes)).withName("write-" + topic.name()));
    }
}

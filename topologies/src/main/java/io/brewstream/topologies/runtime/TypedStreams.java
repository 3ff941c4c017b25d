package io.brewstream.topologies.runtime;

import java.util.Optional;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StreamPartitioner;

import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.KeyPartitioning;
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
                .to(topic.name(), produced(topic, serdes, "write-" + topic.name()));
    }

    /**
     * How a sink writes to a registry topic: its serdes and, for a topic partitioned by shop, the partitioner that
     * puts each record in its shop's partition. Every sink to a registry topic goes through here.
     */
    public static <V extends SpecificRecord> Produced<String, V> produced(Topic<V> topic, AvroSerdes serdes, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde(serdes)).withName(name)
                .withStreamPartitioner(partitioner(topic));
    }

    /** The partitioner of a topic's keys, for sinks and for locating a key's store ({@code queryMetadataForKey}). */
    public static <V> StreamPartitioner<String, V> partitioner(Topic<?> topic) {
        KeyPartitioning partitioning = topic.keyPartitioning();
        return (topicName, key, value, partitions) -> Optional.of(Set.of(partitioning.partition(key, partitions)));
    }
}

package io.brewstream.schemas.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;

/**
 * Apicurio's datum provider, keeping one reader per writer schema and one writer per schema of a generated record.
 * Apicurio 2.6 builds a new reader for every record, and Avro then resolves the writer's schema against the reader's
 * again each time (the second largest CPU cost in the topologies). Avro's readers and writers hold no per-call
 * state, so one instance serves every thread, as Confluent's serdes share theirs.
 */
public final class ReusingAvroDatumProvider<T> extends DefaultAvroDatumProvider<T> {
    private final SchemaKeyed<DatumReader<T>> readers = new SchemaKeyed<>();
    private final SchemaKeyed<DatumWriter<T>> writers = new SchemaKeyed<>();

    @Override
    public DatumReader<T> createDatumReader(Schema writerSchema) {
        return readers.get(writerSchema, super::createDatumReader);
    }

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        if (!(data instanceof SpecificRecord)) {
            return super.createDatumWriter(data, schema);
        }
        return writers.get(schema, s -> super.createDatumWriter(data, s));
    }

    /**
     * Values by schema, looked up by instance first: comparing two equal schemas walks both whole, and Apicurio's
     * resolver hands out a newly parsed instance of the same schema each time its cache entry expires (30 s).
     */
    private static final class SchemaKeyed<V> {
        private static final int MAX_INSTANCES = 256;

        private record Instance(Schema schema) {
            @Override
            public boolean equals(Object other) {
                return other instanceof Instance instance && instance.schema == schema;
            }

            @Override
            public int hashCode() {
                return System.identityHashCode(schema);
            }
        }

        private final Map<Instance, V> byInstance = new ConcurrentHashMap<>();
        private final Map<Schema, V> bySchema = new ConcurrentHashMap<>();

        V get(Schema schema, Function<Schema, V> create) {
            V value = byInstance.get(new Instance(schema));
            if (value == null) {
                value = bySchema.computeIfAbsent(schema, create);
                if (byInstance.size() >= MAX_INSTANCES) {
                    byInstance.clear();
                }
                byInstance.put(new Instance(schema), value);
            }
            return value;
        }
    }
}

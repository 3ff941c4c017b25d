package io.brewstream.schemas.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.specific.SpecificRecord;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.serde.data.KafkaSerdeMetadata;

/**
 * Apicurio's resolver, resolving a generated record class once per topic and side. Apicurio 2.6's own resolver
 * writes the record's whole schema to JSON and looks that string up on every serialization (Apicurio issue 2483,
 * fixed only in the 3.x serdes), which took most of the topologies' CPU. A generated class has exactly one schema,
 * so its first lookup (and registration) answers for all later records. Records of any other kind go through
 * Apicurio's lookup each time.
 */
public final class ClassCachingSchemaResolver<S, T> extends DefaultSchemaResolver<S, T> {
    private record Subject(String topic, boolean isKey, Class<?> type) {
    }

    private final Map<Subject, SchemaLookupResult<S>> resolved = new ConcurrentHashMap<>();

    @Override
    public SchemaLookupResult<S> resolveSchema(Record<T> data) {
        if (!(data.payload() instanceof SpecificRecord) || !(data.metadata() instanceof KafkaSerdeMetadata kafka)) {
            return super.resolveSchema(data);
        }
        Subject subject = new Subject(kafka.getTopic(), kafka.isKey(), data.payload().getClass());
        SchemaLookupResult<S> known = resolved.get(subject);
        if (known != null) {
            return known;
        }
        SchemaLookupResult<S> lookup = super.resolveSchema(data);
        resolved.putIfAbsent(subject, lookup);
        return lookup;
    }

    @Override
    public void reset() {
        resolved.clear();
        super.reset();
    }
}

package io.brewstream.schemas.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.specific.SpecificRecord;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.serde.data.KafkaSerdeMetadata;

/**
 * Apicurio's resolver, resolving a generated record class once per topic and side. Apicurio 2.6's own resolver
 * writes the record's whole schema to JSON and looks that string up on every serialization (Apicurio issue 2483,
 * fixed only in the 3.x serdes), which took most of the topologies' CPU. A generated class has exactly one schema,
 * so its first lookup (and registration) answers for all later records. Records of any other kind go through
 * Apicurio's lookup each time.
 *
 * <p>Reading, a schema looked up by its content id, global id or content hash is kept for good: such an id always
 * names the same schema. Apicurio's cache asks the registry again once an entry is older than
 * {@code apicurio.registry.check-period-ms} (30 s) and fails if it is away, so a registry outage longer than that
 * dead-lettered every record read after it ({@code RegistryOutageSerdeIntegrationTest}).
 */
public final class ClassCachingSchemaResolver<S, T> extends DefaultSchemaResolver<S, T> {
    private record Subject(String topic, boolean isKey, Class<?> type) {
    }

    private final Map<Subject, SchemaLookupResult<S>> resolved = new ConcurrentHashMap<>();
    private final Map<ArtifactReference, SchemaLookupResult<S>> byId = new ConcurrentHashMap<>();

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
    public SchemaLookupResult<S> resolveSchemaByArtifactReference(ArtifactReference reference) {
        boolean immutable = reference.getContentId() != null || reference.getGlobalId() != null
                || reference.getContentHash() != null;
        if (!immutable) { // group, artifact and perhaps no version: "latest" moves
            return super.resolveSchemaByArtifactReference(reference);
        }
        SchemaLookupResult<S> known = byId.get(reference);
        if (known != null) {
            return known;
        }
        SchemaLookupResult<S> lookup = super.resolveSchemaByArtifactReference(reference);
        byId.putIfAbsent(reference, lookup);
        return lookup;
    }

    @Override
    public void reset() {
        resolved.clear();
        byId.clear();
        super.reset();
    }
}

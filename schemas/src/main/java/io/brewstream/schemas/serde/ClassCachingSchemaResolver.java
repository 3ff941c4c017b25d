package io.brewstream.schemas.serde;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.avro.specific.SpecificRecord;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.serde.SerdeConfig;
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
 *
 * <p>What is known is known to the whole process: every serde of one registry shares these answers (each store,
 * sink and source has a serde of its own, and a store's first read of a task once needed the registry although
 * the process had long known the schema). What is not known yet can wait for a registry that is away
 * ({@link AvroSerdes#waitingForRegistry}: the stream threads do) instead of failing the record. A Kafka Streams
 * changelog or repartition topic takes the lookup of its class from any other topic the process wrote it to (the
 * same schema has the same content id), and {@link AvroSerdes#learn} makes every topic's class known at start: so
 * a rare record type (an alert, a refund) first met during an outage does not stall its task.
 */
public final class ClassCachingSchemaResolver<S, T> extends DefaultSchemaResolver<S, T> {
    /**
     * How long a lookup waits for a registry that is away, in milliseconds ({@link AvroSerdes#waitingForRegistry});
     * 0, the default, leaves it to Apicurio's own few retries: a request thread must not wait minutes.
     */
    static final String OUTAGE_PATIENCE_CONFIG = "brewstream.registry.outage-patience-ms";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClassCachingSchemaResolver.class);

    private record Subject(String topic, boolean isKey, Class<?> type) {
    }

    /** Per registry: the answers every serde of the process shares. */
    private record Known(Map<Subject, SchemaLookupResult<?>> resolved, Map<ArtifactReference, SchemaLookupResult<?>> byId) {
    }

    private static final Map<String, Known> KNOWN = new ConcurrentHashMap<>();

    private Map<Subject, SchemaLookupResult<?>> resolved = new ConcurrentHashMap<>();
    private Map<ArtifactReference, SchemaLookupResult<?>> byId = new ConcurrentHashMap<>();
    private Duration patience = Duration.ZERO;

    @Override
    public void configure(Map<String, ?> configs, SchemaParser<S, T> schemaParser) {
        super.configure(configs, schemaParser);
        Known known = KNOWN.computeIfAbsent(String.valueOf(configs.get(SerdeConfig.REGISTRY_URL)),
                url -> new Known(new ConcurrentHashMap<>(), new ConcurrentHashMap<>()));
        resolved = known.resolved();
        byId = known.byId();
        Object patienceMillis = configs.get(OUTAGE_PATIENCE_CONFIG);
        patience = patienceMillis == null ? Duration.ZERO : Duration.ofMillis(Long.parseLong(patienceMillis.toString()));
    }

    @Override
    public SchemaLookupResult<S> resolveSchema(Record<T> data) {
        if (!(data.payload() instanceof SpecificRecord) || !(data.metadata() instanceof KafkaSerdeMetadata kafka)) {
            return super.resolveSchema(data);
        }
        Subject subject = new Subject(kafka.getTopic(), kafka.isKey(), data.payload().getClass());
        @SuppressWarnings("unchecked")
        SchemaLookupResult<S> known = (SchemaLookupResult<S>) resolved.get(subject);
        if (known != null) {
            return known;
        }
        if (internal(kafka.getTopic())) {
            SchemaLookupResult<S> sameClass = knownForAnotherTopic(subject);
            if (sameClass != null) {
                // a store's changelog or a repartition carries a class the process already wrote elsewhere: the
                // same schema, the same content id, which is all a reader needs; no outside client reads these
                // topics, so they need no artifact of their own (and a rare store write, an alert's, does not stall
                // its task on a registry that is away)
                resolved.putIfAbsent(subject, sameClass);
                return sameClass;
            }
        }
        SchemaLookupResult<S> lookup = patiently(() -> super.resolveSchema(data));
        resolved.putIfAbsent(subject, lookup);
        // what this process writes, it reads back (a store's changelog, a repartition, its own output): by the
        // references a reader builds from the record's id
        byId.putIfAbsent(ArtifactReference.builder().contentId(lookup.getContentId()).build(), lookup);
        byId.putIfAbsent(ArtifactReference.builder().globalId(lookup.getGlobalId()).build(), lookup);
        return lookup;
    }

    /** A Kafka Streams changelog or repartition topic: written and read by its application only. */
    static boolean internal(String topic) {
        return topic != null && (topic.endsWith("-changelog") || topic.endsWith("-repartition"));
    }

    @SuppressWarnings("unchecked")
    private SchemaLookupResult<S> knownForAnotherTopic(Subject subject) {
        for (Map.Entry<Subject, SchemaLookupResult<?>> known : resolved.entrySet()) {
            if (known.getKey().type().equals(subject.type()) && known.getKey().isKey() == subject.isKey()) {
                return (SchemaLookupResult<S>) known.getValue();
            }
        }
        return null;
    }

    @Override
    public SchemaLookupResult<S> resolveSchemaByArtifactReference(ArtifactReference reference) {
        boolean immutable = reference.getContentId() != null || reference.getGlobalId() != null
                || reference.getContentHash() != null;
        if (!immutable) { // group, artifact and perhaps no version: "latest" moves
            return patiently(() -> super.resolveSchemaByArtifactReference(reference));
        }
        @SuppressWarnings("unchecked")
        SchemaLookupResult<S> known = (SchemaLookupResult<S>) byId.get(reference);
        if (known != null) {
            return known;
        }
        SchemaLookupResult<S> lookup = patiently(() -> super.resolveSchemaByArtifactReference(reference));
        byId.putIfAbsent(reference, lookup);
        return lookup;
    }

    /** The lookup, again and again while the registry is away, for up to this serde's patience. */
    private <R> R patiently(Supplier<R> lookup) {
        return patiently(lookup, patience);
    }

    static <R> R patiently(Supplier<R> lookup, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        long backoffMillis = 200;
        long lastWarning = 0;
        while (true) {
            try {
                return lookup.get();
            } catch (RuntimeException e) {
                if (!RegistryErrors.isTransient(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                if (System.nanoTime() - lastWarning > Duration.ofSeconds(10).toNanos()) {
                    log.warn("the schema registry is away ({}); waiting for it, at most {} in all", e.toString(), patience);
                    lastWarning = System.nanoTime();
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMillis = Math.min(backoffMillis * 2, 2_000);
            }
        }
    }

    @Override
    public void reset() {
        resolved.clear();
        byId.clear();
        super.reset();
    }
}

package io.brewstream.schemas.serde;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

import io.apicurio.registry.serde.AbstractKafkaSerializer;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroSerde;
import io.apicurio.registry.serde.data.KafkaSerdeMetadata;
import io.apicurio.registry.serde.data.KafkaSerdeRecord;
import io.brewstream.schemas.topics.Topic;

/**
 * Builds Avro serdes bound to the schema registry, writing and reading the Confluent wire format: magic
 * byte 0, a 4-byte schema id, then Avro binary. The schema is registered under the topic's subject
 * ({@code <topic>-value}) on first use. Each record class is resolved once per topic and Avro readers and writers
 * are reused ({@link ClassCachingSchemaResolver}, {@link ReusingAvroDatumProvider}): Apicurio 2.6 redoes both per record.
 */
public final class AvroSerdes {
    private final Map<String, Object> config;

    private AvroSerdes(Map<String, Object> config) {
        this.config = Map.copyOf(config);
    }

    /** @param registryApiUrl the registry's v2 API, e.g. http://127.0.0.1:8081/apis/registry/v2 */
    public static AvroSerdes forRegistry(String registryApiUrl) {
        return new AvroSerdes(wireFormatConfig(registryApiUrl));
    }

    /** The serializer and deserializer settings, for clients configured by properties. */
    public static Map<String, Object> wireFormatConfig(String registryApiUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, registryApiUrl);
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        config.put(SerdeConfig.ENABLE_HEADERS, false);
        config.put(SerdeConfig.ID_HANDLER, "io.apicurio.registry.serde.Legacy4ByteIdHandler");
        config.put(SerdeConfig.USE_ID, "contentId");
        config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        config.put(SerdeConfig.SCHEMA_RESOLVER, ClassCachingSchemaResolver.class.getName());
        config.put(AvroKafkaSerdeConfig.AVRO_DATUM_PROVIDER, ReusingAvroDatumProvider.class.getName());
        return config;
    }

    /**
     * These serdes, waiting up to {@code patience} for a registry that is away when they meet a schema they do not
     * know yet, instead of failing after Apicurio's few retries. For stream threads, which have nothing better to do
     * and must not skip the record; never for a thread that answers a request.
     */
    public AvroSerdes waitingForRegistry(java.time.Duration patience) {
        Map<String, Object> waiting = new HashMap<>(config);
        waiting.put(ClassCachingSchemaResolver.OUTAGE_PATIENCE_CONFIG, patience.toMillis());
        return new AvroSerdes(waiting);
    }

    /**
     * Looks up (registering it if new) the schema of each topic's value type now, into what every serde of this
     * process shares ({@link ClassCachingSchemaResolver}). A stream thread that meets a schema for the first time
     * while the registry is away waits for the registry, and its whole task with it: a record type that is rare
     * (a refund, a low-stock alert) would otherwise make its first appearance in an outage a stall. Called while
     * the registry answers (at start); its own patience is this object's.
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public void learn(Collection<? extends Topic<?>> topics) {
        // one serializer's resolver for all of them (a serde makes a registry client of its own when configured)
        try (Serde<SpecificRecord> serde = valueSerde(SpecificRecord.class)) {
            var resolver = ((AbstractKafkaSerializer) serde.serializer()).getSchemaResolver();
            for (Topic<?> topic : topics) {
                SpecificData avro = SpecificData.get();
                SpecificRecord empty = (SpecificRecord) avro.newRecord(null, avro.getSchema(topic.valueType()));
                // only the record's schema is read: the resolver never looks at its (empty) fields
                resolver.resolveSchema(new KafkaSerdeRecord(new KafkaSerdeMetadata(topic.name(), false, null), empty));
            }
        }
    }

    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        AvroSerde<T> serde = new AvroSerde<>();
        serde.configure(config, false);
        return serde;
    }
}

package io.brewstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroSerde;
import io.brewstream.embedded.EmbeddedSchemaRegistry;
import io.brewstream.embedded.FreePorts;
import io.brewstream.schemas.inventory.LowStock;
import io.brewstream.schemas.inventory.StockUnit;

/**
 * A registry outage never stops a record whose schema was seen before: the serializer keeps what it registered, the
 * deserializer what it looked up by id, for good (an id always names the same schema). Apicurio's own cache
 * re-checks an entry after {@code apicurio.registry.check-period-ms} (30 s) and fails while the registry is away;
 * here the period is 1 ms, so only a cache that never expires passes. A registry of the test's own, stopped
 * half-way.
 */
class RegistryOutageSerdeIntegrationTest {
    private static final String TOPIC = "outage-test-low-stock";

    @Test
    void recordsOfSchemasSeenBeforeAreWrittenAndReadWhileTheRegistryIsAway() throws Exception {
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.temporary().start();
        try (AvroSerde<LowStock> serde = new AvroSerde<>()) {
            Map<String, Object> config = new HashMap<>(AvroSerdes.wireFormatConfig(registry.apiUrl()));
            config.put(SerdeConfig.CHECK_PERIOD_MS, 1L);
            serde.configure(config, false);
            LowStock before = lowStock("milk-dairy", 900);
            assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, before)))
                    .isEqualTo(before);

            registry.close();
            Thread.sleep(5); // past the check period: Apicurio's cache would ask the registry again now

            LowStock during = lowStock("espresso-beans", 120);
            byte[] written = serde.serializer().serialize(TOPIC, during);
            assertThat(serde.deserializer().deserialize(TOPIC, written)).isEqualTo(during);
        } finally {
            registry.close();
        }
    }

    @Test
    void aSchemaNotSeenBeforeWaitsForTheRegistryAndWhatOneSerdeLookedUpEveryOtherKnows(@TempDir Path dir)
            throws Exception {
        int port = FreePorts.next();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.persistent(dir, port).start();
        Map<String, Object> config = new HashMap<>(AvroSerdes.wireFormatConfig(registry.apiUrl()));
        config.put(ClassCachingSchemaResolver.OUTAGE_PATIENCE_CONFIG, Duration.ofMinutes(1).toMillis());
        try (AvroSerde<LowStock> first = new AvroSerde<>(); AvroSerde<LowStock> second = new AvroSerde<>()) {
            first.configure(config, false);
            second.configure(config, false);
            LowStock before = lowStock("milk-dairy", 900);
            byte[] written = first.serializer().serialize(TOPIC + "-shared", before);

            registry.close();
            // another serde (another store's, another task's) reads what the first one wrote, with no registry
            assertThat(second.deserializer().deserialize(TOPIC + "-shared", written)).isEqualTo(before);

            // a topic this process never wrote. A serde for requests does not wait: it fails within seconds...
            try (AvroSerde<LowStock> impatient = new AvroSerde<>()) {
                impatient.configure(AvroSerdes.wireFormatConfig(registry.apiUrl()), false);
                long started = System.nanoTime();
                assertThatThrownBy(() -> impatient.serializer().serialize(TOPIC + "-new", lowStock("oat-milk", 10)))
                        .matches(RegistryErrors::isTransient, "the registry is away");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            }
            // ...one that was told to wait (the stream threads' serdes) waits for the registry instead of failing
            CompletableFuture<byte[]> waiting = CompletableFuture.supplyAsync(
                    () -> second.serializer().serialize(TOPIC + "-new", lowStock("oat-milk", 10)));
            Thread.sleep(1_500); // the registry stays away a while: no condition can stand in for that
            assertThat(waiting).as("still waiting for the registry").isNotDone();
            registry = EmbeddedSchemaRegistry.persistent(dir, port).start();
            byte[] late = waiting.get(1, TimeUnit.MINUTES);
            assertThat(first.deserializer().deserialize(TOPIC + "-new", late).getIngredientId()).isEqualTo("oat-milk");
        } finally {
            registry.close();
        }
    }

    @Test
    void whatWasLearntAtStartIsWrittenWhileTheRegistryIsAwayToItsTopicAndToAnyChangelog() throws Exception {
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.temporary().start();
        try {
            AvroSerdes serdes = AvroSerdes.forRegistry(registry.apiUrl());
            serdes.learn(java.util.List.of(io.brewstream.schemas.topics.Topics.LOW_STOCK));
            registry.close();

            try (var serde = serdes.valueSerde(LowStock.class)) {
                // its topic: learnt, though no low-stock alert was ever written by this process
                LowStock alert = lowStock("milk-dairy", 90);
                String topic = io.brewstream.schemas.topics.Topics.LOW_STOCK.name();
                assertThat(serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, alert)))
                        .isEqualTo(alert);
                // a store's changelog (written by its application only): the class's schema, no artifact of its own
                String changelog = "app-recent-low-stock-changelog";
                assertThat(serde.deserializer().deserialize(changelog, serde.serializer().serialize(changelog, alert)))
                        .isEqualTo(alert);
                // any other topic still needs the registry, which is away: a serde that does not wait fails
                assertThatThrownBy(() -> serde.serializer().serialize("outage-test-elsewhere", alert))
                        .matches(RegistryErrors::isTransient, "the registry is away");
            }
        } finally {
            registry.close();
        }
    }

    private static LowStock lowStock(String ingredient, long available) {
        return LowStock.newBuilder().setShopId("berlin-mitte").setIngredientId(ingredient).setAvailable(available)
                .setThreshold(1000).setUnit(StockUnit.GRAM).setDetectedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }
}

package io.brewstream.topologies.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.serde.AvroSerdes;

/**
 * A record that kills every stream thread that reads it (an Error, which no exception handler turns into a dead
 * letter) makes the application dead for good once its threads died more often than allowed, instead of replacing
 * them forever: its state is ERROR and {@link StreamsApp#deadForGood()} says why, for the process to exit.
 */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class StreamsAppDeadForGoodIntegrationTest {
    private final EmbeddedInfrastructure infra;
    private StreamsApp app;

    StreamsAppDeadForGoodIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void threadsThatKeepDyingEndTheApplicationInsteadOfBeingReplacedForever(@TempDir Path stateDir) throws Exception {
        String topic = EmbeddedInfrastructure.uniqueName("poison");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        DomainTopology poisoned = new DomainTopology() {
            @Override
            public String name() {
                return "poisoned";
            }

            @Override
            public Map<String, Object> configOverrides() {
                // a dead thread's member leaves the group only when its session times out (45 s by default): the
                // broker's least, so its replacement gets the partition within seconds
                return Map.of(org.apache.kafka.streams.StreamsConfig.consumerPrefix("session.timeout.ms"), 6_000,
                        org.apache.kafka.streams.StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);
            }

            @Override
            public void define(StreamsBuilder builder, AvroSerdes serdes) {
                builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String())).foreach((k, v) -> {
                    throw new AssertionError("a record no thread survives: " + v);
                });
            }
        };
        StreamsSettings settings = new StreamsSettings(infra.bootstrapServers(), infra.registryUrl(),
                EmbeddedInfrastructure.uniqueName("it"), stateDir, Optional.empty(), Duration.ofMillis(100), 1, 0, 1);
        app = new StreamsApp(poisoned, settings, new ThreadDeaths(2, Duration.ofMinutes(10))).start();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "poison")).get();
        }
        String why = app.deadForGood().get(2, TimeUnit.MINUTES);
        assertThat(why).contains("to ERROR");
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.ERROR);
    }
}

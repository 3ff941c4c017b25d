package io.brewstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;

@ExtendWith(EmbeddedInfrastructureExtension.class)
class EmbeddedInfrastructureTest {

    @Test
    void brokerAcceptsAndServesRecords(EmbeddedInfrastructure infra) throws Exception {
        String topic = EmbeddedInfrastructure.uniqueName("roundtrip");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        assertThat(roundTrip(infra.bootstrapServers(), topic, "hello")).isEqualTo("hello");
    }

    @Test
    void registryAnswersOnBothApis(EmbeddedInfrastructure infra) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var info = http.send(HttpRequest.newBuilder(URI.create(infra.registryUrl() + "/system/info")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains("2.6.13");
        var subjects = http.send(HttpRequest.newBuilder(
                URI.create(infra.registry().confluentApiUrl() + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(subjects.statusCode()).isEqualTo(200);
    }

    @Test
    void persistentBrokerKeepsItsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("kafka");
        String topic = "kept";
        int port;
        try (EmbeddedKafka kafka = EmbeddedKafka.persistent(data, 0, 0).start()) {
            port = Integer.parseInt(kafka.bootstrapServers().split(":")[1]);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            produce(kafka.bootstrapServers(), topic, "before restart");
        }
        assertThat(Files.exists(data.resolve("meta.properties"))).isTrue();
        try (EmbeddedKafka kafka = EmbeddedKafka.persistent(data, port, 0).start()) {
            assertThat(consumeOne(kafka.bootstrapServers(), topic)).isEqualTo("before restart");
        }
    }

    private static String roundTrip(String bootstrap, String topic, String value) throws Exception {
        produce(bootstrap, topic, value);
        return consumeOne(bootstrap, topic);
    }

    private static void produce(String bootstrap, String topic, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
    }

    private static String consumeOne(String bootstrap, String topic) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, EmbeddedInfrastructure.uniqueName("g"));
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    return records.iterator().next().value();
                }
            }
        }
        throw new AssertionError("no record on " + topic);
    }
}

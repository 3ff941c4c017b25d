package io.brewstream.ingress.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.ingress.http.ClientAddresses;
import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.Topics;

/** The ingress routes on a real HTTP server against the test JVM's broker and registry. */
final class IngressTestServer implements AutoCloseable {
    final AvroSerdes serdes;
    final Observability observability;
    private final EmbeddedInfrastructure infra;
    private final CommandPublisher publisher;
    private final HttpService server;
    private final HttpClient http = HttpClient.newHttpClient();

    IngressTestServer(EmbeddedInfrastructure infra) {
        this.infra = infra;
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
        observability = new Observability("ingress-test");
        publisher = new CommandPublisher(infra.bootstrapServers(), serdes, Duration.ofSeconds(10), observability.registry());
        server = HttpService.start("127.0.0.1", 0, observability,
                List.of(new OrderIngressRoutes(publisher, "", ClientAddresses.trusting("127.0.0.1,10.0.0.0/8"), Clock.systemUTC(), observability.registry()),
                        new OrderActionRoutes(publisher, "", Clock.systemUTC(), observability.registry())),
                List.of(ReadinessCheck.of("kafka", () -> publisher.canReach(Topics.ORDER_COMMANDS))));
    }

    HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** The first record with the given key on a topic, read from the beginning. */
    ConsumerRecord<String, byte[]> read(Topic<?> topic, String key) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, EmbeddedInfrastructure.uniqueName("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no record for " + key + " on " + topic);
    }

    @Override
    public void close() {
        server.close();
        publisher.close();
        observability.close();
    }
}

package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.brewstream.app.deadletters.DeadLetterFilter;
import io.brewstream.app.deadletters.DeadLetterLog;
import io.brewstream.app.deadletters.DeadLetterMonitor;
import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.bots.Feedback;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.common.DeadLetter;
import io.brewstream.schemas.deadletter.DeadLetters;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine;

/**
 * Dead letters an operator can work with, on the real broker and registry: listed with filters, shown with the
 * failed record decoded, replayed to the topic they came from once (a second replay writes nothing), refused where
 * there is nothing to write back; counted by source topic and reason as they are written.
 */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class DeadLettersIntegrationTest {
    private final EmbeddedInfrastructure infra;
    private final AvroSerdes serdes;

    DeadLettersIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
        this.serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @Test
    void deadLettersAreListedShownReplayedOnceAndCounted() throws Exception {
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DeadLetterLog log = new DeadLetterLog(infra.bootstrapServers(), serdes);
        Map<TopicPartition, Long> feedbackBefore = ends(Topics.FEEDBACK.name());
        try (DeadLetterMonitor monitor = new DeadLetterMonitor(infra.bootstrapServers(), serdes, meters).start()) {
            awaitAssigned();
            Instant t0 = Instant.now();
            // the broker is this test JVM's: count only what this test wrote (from t0 on)
            DeadLetterFilter mine = filter(null, null, t0);
            // a feedback record a topology could not process (read from its topic), a CDC row that could not be mapped,
            // and an order command that failed at the time of an outage
            byte[] feedback = Topics.FEEDBACK.valueSerde(serdes).serializer().serialize(Topics.FEEDBACK.name(),
                    Feedback.newBuilder().setFeedbackId("fb-dlq").setShopId("berlin-mitte").setText("My latte was cold")
                            .setChannel(Channel.TELEGRAM).setReceivedAt(t0).build());
            write(DeadLetters.envelope("brewstream-agents", Topics.FEEDBACK.name(), 0, 17L,
                    "berlin-mitte".getBytes(StandardCharsets.UTF_8), feedback, "Error deserializing key/value",
                    new org.apache.kafka.common.errors.SerializationException("registry away"), t0));
            write(DeadLetters.envelope("connectors", "reference.menu-items", null, null, null,
                    "{\"menu_item_id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                    "row cannot be mapped: min_price 900 above base_price 500", null, t0.plusMillis(1)));
            write(DeadLetters.envelope("brewstream-orders", Topics.ORDER_COMMANDS.name(), 2, 40L, null,
                    new byte[] {0, 0, 0, 0, 9}, "order 7 could not be processed: schema 9 unknown", null, t0.plusMillis(2)));

            // listed, and filtered by topic, by reason (or exception) and by time
            assertThat(log.list(mine, 100)).hasSize(3);
            assertThat(log.list(filter(Topics.FEEDBACK.name(), null, t0), 100)).singleElement()
                    .satisfies(e -> assertThat(e.letter().getSourceOffset()).isEqualTo(17L));
            assertThat(log.list(filter(null, "serializationexception", t0), 100)).hasSize(1);
            assertThat(log.list(filter(null, "cannot be mapped", t0), 100)).singleElement()
                    .satisfies(e -> assertThat(e.replayable()).isFalse());
            assertThat(log.list(filter(null, null, Instant.now().plusSeconds(60)), 100)).isEmpty();
            assertThat(log.list(mine, 2)).hasSize(2);

            // counted as written: by source topic and a reason label that stays bounded
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(count(meters, Topics.FEEDBACK.name(), "SerializationException")).isEqualTo(1.0);
                assertThat(count(meters, "reference.menu-items", "row cannot be mapped")).isEqualTo(1.0);
                assertThat(count(meters, Topics.ORDER_COMMANDS.name(), "order # could not be processed")).isEqualTo(1.0);
            });

            // shown with its record decoded
            String feedbackId = log.list(filter(Topics.FEEDBACK.name(), null, t0), 1).get(0).id();
            assertThat(log.decodedValue(log.get(feedbackId).orElseThrow())).contains("My latte was cold");

            // replayed once: the same bytes back on its topic, with a header naming the dead letter
            assertThat(log.replay(feedbackId, "test")).isEqualTo(DeadLetterLog.Outcome.REPLAYED);
            assertThat(log.replay(feedbackId, "test")).isEqualTo(DeadLetterLog.Outcome.ALREADY_REPLAYED);
            List<ConsumerRecord<byte[], byte[]>> replayed = readFrom(Topics.FEEDBACK.name(), feedbackBefore);
            assertThat(replayed).singleElement().satisfies(r -> {
                assertThat(r.value()).isEqualTo(feedback);
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("berlin-mitte");
                assertThat(new String(r.headers().lastHeader(DeadLetterLog.HEADER_REPLAY_OF).value(),
                        StandardCharsets.UTF_8)).isEqualTo("dead-letters/" + feedbackId);
            });
            String cdcId = log.list(filter(null, "cannot be mapped", t0), 1).get(0).id();
            assertThat(log.replay(cdcId, "test")).isEqualTo(DeadLetterLog.Outcome.NOT_REPLAYABLE);
            assertThat(log.replay("0:999999", "test")).isEqualTo(DeadLetterLog.Outcome.UNKNOWN);
            assertThat(log.replayed()).contains(feedbackId).doesNotContain(cdcId);
        }

        // the command line over the same log
        System.setProperty("BREWSTREAM_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        System.setProperty("BREWSTREAM_REGISTRY_URL", infra.registryUrl());
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(new CommandLine(new Brewstream()).execute("dead-letters", "list", "--topic",
                    Topics.FEEDBACK.name())).isZero();
            assertThat(new CommandLine(new Brewstream()).execute("dead-letters", "replay", "--matching", "--reason",
                    "schema")).as("replays the order command; the CDC row is not selected, being not replayable").isZero();
        } finally {
            System.setOut(stdout);
            System.clearProperty("BREWSTREAM_BOOTSTRAP_SERVERS");
            System.clearProperty("BREWSTREAM_REGISTRY_URL");
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("bots.feedback@0:17").contains("SerializationException").contains("\tyes")
                .contains("1 dead letter(s)").containsPattern("\\d+:\\d+: replayed");
    }

    private static DeadLetterFilter filter(String topic, String reason, Instant since) {
        return new DeadLetterFilter(Optional.ofNullable(topic), Optional.ofNullable(reason), Optional.empty(),
                Optional.ofNullable(since), Optional.empty());
    }

    private static double count(SimpleMeterRegistry meters, String topic, String reason) {
        var counter = meters.find(DeadLetterMonitor.METRIC).tags("source_topic", topic, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** The monitor starts at the end of the topic: wait until it has its partitions, so it sees what comes next. */
    private void awaitAssigned() {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeConsumerGroups(List.of("brewstream-dead-letter-monitor"))
                    .all().get().get("brewstream-dead-letter-monitor").members().stream()
                    .mapToInt(m -> m.assignment().topicPartitions().size()).sum() == Topics.DEAD_LETTERS.partitions());
        }
    }

    private void write(DeadLetter letter) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(DeadLetters.record(letter, Topics.DEAD_LETTERS.valueSerde(serdes).serializer())).get();
        }
    }

    private Map<TopicPartition, Long> ends(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return consumer.endOffsets(consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList());
        }
    }

    /** What the topic holds past the given offsets. */
    private List<ConsumerRecord<byte[], byte[]>> readFrom(String topic, Map<TopicPartition, Long> from) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(from.keySet());
            Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet());
            from.forEach(consumer::seek);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (from.keySet().stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}

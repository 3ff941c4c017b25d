package io.brewstream.topologies.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.common.DeadLetter;
import io.brewstream.schemas.deadletter.DeadLetters;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.KeyPartitioning;
import io.brewstream.schemas.topics.TopicPartitioner;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.orders.OrderStores;
import io.brewstream.topologies.orders.OrdersSettings;
import io.brewstream.topologies.orders.OrdersTopology;
import io.brewstream.topologies.support.OrderFixtures;

/** The orders topology on the real broker and registry, exactly once, with a poison record in the way. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class OrdersStreamsAppIntegrationTest {
    private final EmbeddedInfrastructure infra;
    private final AvroSerdes serdes;
    private StreamsApp app;

    OrdersStreamsAppIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
        this.serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @BeforeEach
    void start(@TempDir Path stateDir) { // an application.server (never called here) so keys can be located
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
        StreamsSettings settings = new StreamsSettings(infra.bootstrapServers(), infra.registryUrl(),
                EmbeddedInfrastructure.uniqueName("it"), stateDir, Optional.of("127.0.0.1:1"), Duration.ofMillis(100), 1, 0, 1);
        // orders wait for a FRAUD result that never comes: they stay PLACED, whatever the (empty) menu says
        app = new StreamsApp(new OrdersTopology(OrdersSettings.defaults().withRequiredChecks(
                List.of(io.brewstream.schemas.orders.CheckType.FRAUD))), settings).start();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheNextOrderIsStillProcessed() throws Exception {
        String orderId = EmbeddedInfrastructure.uniqueName("order");
        Serde<OrderCommand> commandSerde = Topics.ORDER_COMMANDS.valueSerde(serdes);
        try (var producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.ORDER_COMMANDS.name(), bytes(orderId), bytes("not avro"))).get();
            byte[] place = commandSerde.serializer().serialize(Topics.ORDER_COMMANDS.name(), placedNow(orderId));
            producer.send(new ProducerRecord<>(Topics.ORDER_COMMANDS.name(), bytes(orderId), place)).get();
        }

        await().atMost(Duration.ofSeconds(60)).ignoreException(InvalidStateStoreException.class).untilAsserted(() ->
                assertThat(orderStore().get(orderId)).extracting(Order::getStatus).isEqualTo(OrderStatus.PLACED));

        ConsumerRecord<byte[], byte[]> dead = awaitDeadLetterFor(orderId);
        DeadLetter letter = Topics.DEAD_LETTERS.valueSerde(serdes).deserializer().deserialize(dead.topic(), dead.value());
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.ORDER_COMMANDS.name());
        assertThat(letter.getApplication()).isEqualTo(app.applicationId());
        assertThat(letter.getReason()).startsWith("cannot deserialize");
        assertThat(new String(dead.headers().lastHeader(DeadLetters.HEADER_REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo(letter.getReason());
    }

    @Test
    void aRecordThatFailsInProcessingIsDeadLetteredWithTheReason() throws Exception {
        String key = EmbeddedInfrastructure.uniqueName("order");
        String next = EmbeddedInfrastructure.uniqueName("order");
        Serde<OrderCommand> commandSerde = Topics.ORDER_COMMANDS.valueSerde(serdes);
        try (var producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            // a well-formed command keyed by another order id than its own
            byte[] misKeyed = commandSerde.serializer().serialize(Topics.ORDER_COMMANDS.name(), placedNow("someone-else"));
            producer.send(new ProducerRecord<>(Topics.ORDER_COMMANDS.name(), bytes(key), misKeyed)).get();
            byte[] place = commandSerde.serializer().serialize(Topics.ORDER_COMMANDS.name(), placedNow(next));
            producer.send(new ProducerRecord<>(Topics.ORDER_COMMANDS.name(), bytes(next), place)).get();
        }

        await().atMost(Duration.ofSeconds(60)).ignoreException(InvalidStateStoreException.class).untilAsserted(() ->
                assertThat(orderStore().get(next)).extracting(Order::getStatus).isEqualTo(OrderStatus.PLACED));
        DeadLetter letter = Topics.DEAD_LETTERS.valueSerde(serdes).deserializer().deserialize(Topics.DEAD_LETTERS.name(),
                awaitDeadLetterFor(key).value());
        assertThat(letter.getReason()).isEqualTo("cannot process: record for order someone-else keyed by " + key);
        assertThat(letter.getExceptionClass()).isEqualTo(IllegalArgumentException.class.getName());
    }

    @Test
    void everyRecordOfAnOrderIsInItsShopsPartitionAndItsReadIsRoutedThere() throws Exception {
        List<String> orderIds = new ArrayList<>();
        for (int shop = 0; shop < 6; shop++) {
            for (int i = 0; i < 3; i++) {
                orderIds.add(io.brewstream.schemas.ids.OrderIds.forRequest(EmbeddedInfrastructure.uniqueName("shop") + shop,
                        "customer-" + i, null));
            }
        }
        try (var producer = new KafkaProducer<>(TopicPartitioner.setIn(new java.util.HashMap<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))),
                new org.apache.kafka.common.serialization.StringSerializer(),
                Topics.ORDER_COMMANDS.valueSerde(serdes).serializer())) {
            for (String orderId : orderIds) {
                RecordMetadata written = producer.send(new ProducerRecord<>(Topics.ORDER_COMMANDS.name(), orderId,
                        placedNow(orderId))).get();
                assertThat(written.partition()).isEqualTo(shopPartition(orderId));
            }
        }

        StreamPartitioner<String, Object> byShop = TypedStreams.partitioner(Topics.ORDER_COMMANDS);
        await().atMost(Duration.ofSeconds(60)).ignoreException(InvalidStateStoreException.class).untilAsserted(() -> {
            for (String orderId : orderIds) {
                int partition = app.streams().queryMetadataForKey(OrderStores.ORDERS, orderId, byShop).partition();
                assertThat(partition).isEqualTo(shopPartition(orderId));
                ReadOnlyKeyValueStore<String, Order> onlyThatPartition = app.streams().store(StoreQueryParameters
                        .fromNameAndType(OrderStores.ORDERS, QueryableStoreTypes.<String, Order>keyValueStore())
                        .withPartition(partition));
                assertThat(onlyThatPartition.get(orderId)).as(orderId).isNotNull();
            }
        });
        Map<String, Integer> eventPartitions = new java.util.HashMap<>();
        readAll(Topics.ORDER_EVENTS.name(), record -> eventPartitions.put(new String(record.key(), StandardCharsets.UTF_8),
                record.partition()), () -> eventPartitions.keySet().containsAll(orderIds));
        orderIds.forEach(id -> assertThat(eventPartitions.get(id)).as(id).isEqualTo(shopPartition(id)));
    }

    private static int shopPartition(String orderId) {
        return KeyPartitioning.ofShop(io.brewstream.schemas.ids.OrderIds.parse(orderId).orElseThrow().shopId(),
                Topics.ORDER_COMMANDS.partitions());
    }

    private void readAll(String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each,
            java.util.concurrent.Callable<Boolean> done) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readCommitted("reader"))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
                return done.call();
            });
        }
    }

    /** A consumer of raw records from the start, committed ones only, in a group of its own. */
    private Map<String, Object> readCommitted(String group) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, EmbeddedInfrastructure.uniqueName(group),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.ByteArrayDeserializer",
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    }

    private ReadOnlyKeyValueStore<String, Order> orderStore() {
        return app.streams().store(StoreQueryParameters.fromNameAndType(OrderStores.ORDERS,
                QueryableStoreTypes.keyValueStore()));
    }

    private ConsumerRecord<byte[], byte[]> awaitDeadLetterFor(String orderId) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readCommitted("dlq-reader"))) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS.name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    DeadLetter letter = Topics.DEAD_LETTERS.valueSerde(serdes).deserializer().deserialize(r.topic(), r.value());
                    if (letter.getKey() != null && orderId.equals(StandardCharsets.UTF_8.decode(letter.getKey()).toString())) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A place-order command issued now: this application runs on the wall clock, so a command issued at the fixtures'
     * fixed T0 (days ago) would expire at the first tick of the order clock, racing the test's read of PLACED.
     */
    private static io.brewstream.schemas.orders.OrderCommand placedNow(String orderId) {
        return io.brewstream.schemas.orders.OrderCommand.newBuilder(OrderFixtures.place(orderId, "fp"))
                .setIssuedAt(java.time.Instant.now()).build();
    }
}

package io.brewstream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;

/**
 * The accounting of a run from the topics themselves: everything committed on the order commands, order events,
 * deliveries, stock levels and recipes, read from the beginning as a read_committed consumer sees it, into an
 * {@link OrderLedger}. What an aborted transaction wrote is not seen, as no consumer of the product sees it.
 */
public final class OrderAccounting {
    private final String bootstrapServers;
    private final AvroSerdes serdes;

    public OrderAccounting(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = AvroSerdes.forRegistry(registryUrl);
    }

    /**
     * The ledger of these shops as the topics stand now. Commands, events and stock levels are picked by key (an
     * order id names its shop, a stock level's key starts with it) before they are decoded, so what others wrote to
     * the same topics (a test's poison record) is not even read; one of the shops' records that cannot be decoded
     * is a finding. Deliveries and recipes are keyed by their own ids: those that cannot be decoded are skipped.
     */
    public OrderLedger read(Set<String> shops, Duration timeout) {
        OrderLedger ledger = new OrderLedger(shops);
        Predicate<String> anyKey = key -> true;
        Predicate<String> orderOfTheShops = key -> key != null && OrderIds.parse(key)
                .map(id -> shops.contains(id.shopId())).orElse(false);
        Predicate<String> stockOfTheShops = key -> key != null && key.contains(":")
                && shops.contains(key.substring(0, key.lastIndexOf(':')));
        readAll(Topics.RECIPES, anyKey, ledger::recipe, undecodable -> { }, timeout);
        readAll(Topics.ORDER_COMMANDS, orderOfTheShops, ledger::command, ledger::undecodable, timeout);
        readAll(Topics.ORDER_EVENTS, orderOfTheShops, ledger::event, ledger::undecodable, timeout);
        readAll(Topics.PAYMENTS, orderOfTheShops, ledger::payment, ledger::undecodable, timeout);
        readAll(Topics.REFUNDS, orderOfTheShops, ledger::refund, ledger::undecodable, timeout);
        readAll(Topics.STOCK_DELIVERIES, anyKey, ledger::delivery, undecodable -> { }, timeout);
        readAll(Topics.STOCK_LEVELS, stockOfTheShops, ledger::stockLevel, ledger::undecodable, timeout);
        return ledger;
    }

    /**
     * Records of these shops dead-lettered by the applications whose ids start with this prefix, as "application:
     * reason". A record is the shops' when its key names one of them (an order id, a delivery id, a stock key, a
     * shop id all do): a fresh application reads its input topics from the beginning, and what other runs left
     * there (a test's poison record) is theirs, not this run's.
     */
    public List<String> deadLetters(String applicationIdPrefix, Set<String> shops, Duration timeout) {
        List<String> letters = new ArrayList<>();
        readAll(Topics.DEAD_LETTERS, key -> true, letter -> {
            if (letter != null && letter.getApplication() != null
                    && letter.getApplication().startsWith(applicationIdPrefix) && letter.getKey() != null) {
                String key = StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString();
                if (shops.stream().anyMatch(key::contains)) {
                    letters.add(letter.getApplication() + ": " + key + ": " + letter.getReason());
                }
            }
        }, undecodable -> { }, timeout);
        return letters;
    }

    /** Every committed record of a topic up to its end as it was when the read began, in partition order. */
    private <V extends org.apache.avro.specific.SpecificRecord> void readAll(Topic<V> topic, Predicate<String> keys,
            Consumer<V> into, Consumer<String> undecodable, Duration timeout) {
        var values = topic.valueSerde(serdes).deserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic.name(), timeout)) {
                partitions.add(new TopicPartition(topic.name(), info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                    if (!keys.test(key)) {
                        continue;
                    }
                    V value;
                    try {
                        value = record.value() == null ? null : values.deserialize(record.topic(), record.value());
                    } catch (RuntimeException e) {
                        undecodable.accept(record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + e);
                        continue;
                    }
                    into.accept(value);
                }
            }
        }
    }
}

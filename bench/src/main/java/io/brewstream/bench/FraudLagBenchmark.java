package io.brewstream.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.fraud.FraudReason;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.KeyPartitioning;
import io.brewstream.schemas.topics.TopicPartitioner;
import io.brewstream.schemas.topics.Topics;

/**
 * How often the customer velocity rule fires an order late (issue #19): with fraud scored in the orders task, an
 * order placed at a shop in another partition counts for the rules once its partition's customer share reached
 * the global store, about a commit later. Each burst is one customer's orders at shops of distinct partitions,
 * {@code gap} apart; every order after the rule's limit should fire it (as strict mode, which sees every earlier
 * order, would). An order that should have fired and did not fired late.
 */
public final class FraudLagBenchmark {
    /** The rule watched, and its limit in the default settings (more orders than this in ten minutes fire it). */
    public static final String RULE = "customer-velocity-10m";

    private final String bootstrapServers;
    private final AvroSerdes serdes;
    private final List<String> shopsInDistinctPartitions;
    private final String menuItemId;
    private final ItemSize size;

    /** One result per gap between a burst's orders. */
    public record GapResult(long gapMillis, int bursts, int ordersPerBurst, long shouldFire, long fired, long late,
            double lateShare) {
    }

    public FraudLagBenchmark(String bootstrapServers, String registryUrl, List<String> shops, OrderTraffic.Item item) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = AvroSerdes.forRegistry(registryUrl);
        Map<Integer, String> byPartition = new TreeMap<>();
        for (String shop : shops) {
            byPartition.putIfAbsent(KeyPartitioning.ofShop(shop, Topics.ORDER_COMMANDS.partitions()), shop);
        }
        this.shopsInDistinctPartitions = List.copyOf(byPartition.values());
        this.menuItemId = item.menuItemId();
        this.size = item.sizes().isEmpty() ? ItemSize.MEDIUM : item.sizes().get(0);
    }

    /**
     * @param limit the rule's limit in the running stack ({@code BREWSTREAM_FRAUD_CUSTOMER_ORDERS_10M})
     * @return per gap, how many orders should have fired the rule, how many did, how many did not (late)
     */
    public List<GapResult> run(List<Long> gapsMillis, int bursts, int limit, Duration timeout) throws Exception {
        int perBurst = Math.min(shopsInDistinctPartitions.size(), limit + 2);
        if (perBurst <= limit) {
            throw new IllegalStateException("needs shops in more than " + limit + " partitions; has "
                    + shopsInDistinctPartitions.size());
        }
        Map<String, Integer> positionOf = new HashMap<>();
        Map<String, Long> gapOf = new HashMap<>();
        Map<TopicPartition, Long> scoresFrom = endOffsets(timeout);
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProducer<String, OrderCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.PARTITIONER_CLASS_CONFIG, TopicPartitioner.class.getName()),
                Topics.ORDER_COMMANDS.keySerde().serializer(), Topics.ORDER_COMMANDS.valueSerde(serdes).serializer())) {
            for (long gap : gapsMillis) {
                for (int b = 0; b < bursts; b++) {
                    String customer = "lag-" + run + "-" + gap + "-" + b;
                    for (int k = 1; k <= perBurst; k++) {
                        String shop = shopsInDistinctPartitions.get(k - 1);
                        String orderId = OrderIds.forRequest(shop, customer, null);
                        positionOf.put(orderId, k);
                        gapOf.put(orderId, gap);
                        producer.send(new ProducerRecord<>(Topics.ORDER_COMMANDS.name(), orderId, command(orderId, shop, customer)));
                        producer.flush();
                        if (gap > 0) {
                            Thread.sleep(gap); // the customer's next order, gap later (pacing, not waiting for a result)
                        }
                    }
                }
            }
        }
        Map<String, Boolean> firedFor = readScores(scoresFrom, positionOf, timeout);
        List<GapResult> results = new ArrayList<>();
        for (long gap : gapsMillis) {
            long should = 0;
            long fired = 0;
            for (Map.Entry<String, Integer> order : positionOf.entrySet()) {
                if (gapOf.get(order.getKey()) != gap || order.getValue() <= limit) {
                    continue;
                }
                should++;
                if (firedFor.get(order.getKey())) {
                    fired++;
                }
            }
            results.add(new GapResult(gap, bursts, perBurst, should, fired, should - fired,
                    should == 0 ? 0 : Math.round(1000.0 * (should - fired) / should) / 1000.0));
        }
        return results;
    }

    private OrderCommand command(String orderId, String shop, String customer) {
        PlaceOrder place = PlaceOrder.newBuilder().setShopId(shop).setCustomerId(customer)
                .setLines(List.of(OrderLine.newBuilder().setMenuItemId(menuItemId).setQuantity(1).setSize(size)
                        .build()))
                .setRequestFingerprint(orderId).build();
        return OrderCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setOrderId(orderId)
                .setChannel(Channel.APP).setIssuedAt(Instant.now()).setCommand(place).build();
    }

    private Map<TopicPartition, Long> endOffsets(Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, timeout), timeout);
        }
    }

    /** Whether each order's score fired the rule, read from fraud.scores until every order has its score. */
    private Map<String, Boolean> readScores(Map<TopicPartition, Long> from, Map<String, Integer> orders, Duration timeout) {
        var values = Topics.FRAUD_SCORES.valueSerde(serdes).deserializer();
        Map<String, Boolean> fired = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (fired.size() < orders.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("scores of " + (orders.size() - fired.size()) + " of " + orders.size()
                            + " orders not on " + Topics.FRAUD_SCORES.name() + " within " + timeout
                            + " (is fraud scored, and are the shops stocked?)");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String orderId = new String(record.key(), StandardCharsets.UTF_8);
                    if (orders.containsKey(orderId) && record.value() != null) {
                        FraudScore score = values.deserialize(record.topic(), record.value());
                        fired.put(orderId, score.getReasons().stream().map(FraudReason::getRule).anyMatch(RULE::equals));
                    }
                }
            }
        }
        return fired;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, Duration timeout) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(Topics.FRAUD_SCORES.name(), timeout)) {
            partitions.add(new TopicPartition(Topics.FRAUD_SCORES.name(), info.partition()));
        }
        return partitions;
    }
}

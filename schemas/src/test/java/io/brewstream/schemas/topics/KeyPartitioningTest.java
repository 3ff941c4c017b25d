package io.brewstream.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.inventory.StockDelivery;

class KeyPartitioningTest {

    @Test
    void anOrderGoesWhereItsShopIdGoesUnderKafkasDefault() {
        for (String shop : List.of("shop-1", "shop-2", "downtown:north", "a")) {
            int byDefault = BuiltInPartitioner.partitionForKey(shop.getBytes(java.nio.charset.StandardCharsets.UTF_8), 6);
            assertThat(KeyPartitioning.ofShop(shop, 6)).isEqualTo(byDefault);
            for (int i = 0; i < 20; i++) {
                String orderId = OrderIds.forRequest(shop, "customer-" + i, null);
                assertThat(KeyPartitioning.BY_SHOP.partition(orderId, 6)).isEqualTo(byDefault);
            }
        }
    }

    @Test
    void aKeyThatIsNoOrderIdIsSpreadByItselfAlwaysAlike() {
        int once = KeyPartitioning.BY_SHOP.partition("not an order id", 6);
        assertThat(KeyPartitioning.BY_SHOP.partition("not an order id", 6)).isEqualTo(once)
                .isEqualTo(KeyPartitioning.BY_KEY.partition("not an order id", 6));
    }

    @Test
    void theOrderTopicsArePartitionedByShopAndNoOtherTopicIs() {
        assertThat(Topics.all()).filteredOn(t -> t.keyPartitioning() == KeyPartitioning.BY_SHOP)
                .allMatch(t -> t.keyDescription().equals("order id"))
                .contains(Topics.ORDER_COMMANDS, Topics.ORDER_EVENTS, Topics.ORDER_VALIDATIONS, Topics.PAYMENTS);
        assertThat(Topics.all()).filteredOn(t -> t.keyDescription().equals("order id"))
                .allMatch(t -> t.keyPartitioning() == KeyPartitioning.BY_SHOP);
    }

    @Test
    void deliveriesLandWithTheirShopsOrdersByTheShopTheyName() {
        StockDelivery delivery = StockDelivery.newBuilder().setDeliveryId("d-1").setShopId("shop-7").setItems(List.of())
                .setSupplier("s").setDeliveredAt(java.time.Instant.EPOCH).build();
        assertThat(Topics.STOCK_DELIVERIES.partitions()).isEqualTo(Topics.ORDER_COMMANDS.partitions());
        assertThat(Topics.STOCK_DELIVERIES.partitionOf("d-1", delivery, 6))
                .isEqualTo(Topics.ORDER_COMMANDS.partition(OrderIds.forRequest("shop-7", "c1", null), 6));
        assertThatThrownBy(() -> Topics.STOCK_DELIVERIES.partition("d-1", 6)).hasMessageContaining("by its value");
        assertThatThrownBy(() -> Topics.STOCK_DELIVERIES.partitionOf("d-1", null, 6)).hasMessageContaining("without a value");

        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = new java.util.ArrayList<>();
        for (int p = 0; p < 6; p++) {
            partitions.add(new PartitionInfo(Topics.STOCK_DELIVERIES.name(), p, node, new Node[] {node}, new Node[] {node}));
        }
        Cluster cluster = new Cluster("c", List.of(node), partitions, java.util.Set.of(), java.util.Set.of());
        TopicPartitioner partitioner = new TopicPartitioner();
        assertThat(partitioner.partition(Topics.STOCK_DELIVERIES.name(), "d-1", "d-1".getBytes(), delivery, null, cluster))
                .isEqualTo(KeyPartitioning.ofShop("shop-7", 6));
        assertThatThrownBy(() -> partitioner.partition(Topics.STOCK_DELIVERIES.name(), "d-1", "d-1".getBytes(),
                new byte[] {1}, new byte[] {1}, cluster)).hasMessageContaining("StockDelivery values");
    }

    @Test
    void theProducerPartitionerFollowsTheRegistryAndKafkasDefaultElsewhere() {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = new java.util.ArrayList<>();
        for (String topic : List.of(Topics.ORDER_COMMANDS.name(), "someone-elses")) {
            for (int p = 0; p < 6; p++) {
                partitions.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
            }
        }
        Cluster cluster = new Cluster("c", List.of(node), partitions, java.util.Set.of(), java.util.Set.of());
        TopicPartitioner partitioner = new TopicPartitioner();
        String orderId = OrderIds.forRequest("shop-7", "c1", "k1");
        byte[] keyBytes = new StringSerializer().serialize("t", orderId);

        assertThat(partitioner.partition(Topics.ORDER_COMMANDS.name(), orderId, keyBytes, null, null, cluster))
                .isEqualTo(KeyPartitioning.ofShop("shop-7", 6));
        assertThat(partitioner.partition("someone-elses", orderId, keyBytes, null, null, cluster))
                .isEqualTo(BuiltInPartitioner.partitionForKey(keyBytes, 6));
        assertThat(partitioner.partition("someone-elses", null, null, null, null, cluster)).isBetween(0, 5);
        assertThat(TopicPartitioner.setIn(new java.util.HashMap<>()))
                .containsEntry(ProducerConfig.PARTITIONER_CLASS_CONFIG, TopicPartitioner.class.getName());
    }

    @Test
    void anExistingShopPartitionedTopicWithAnotherCountIsNamed() {
        assertThat(TopicProvisioner.partitionMismatches(Topics.all(), java.util.Map.of(
                Topics.ORDER_COMMANDS.name(), Topics.ORDER_COMMANDS.partitions(),
                Topics.ORDER_EVENTS.name(), 12)))
                .containsExactly("orders.events has 12 partitions, not " + Topics.ORDER_EVENTS.partitions());
    }
}

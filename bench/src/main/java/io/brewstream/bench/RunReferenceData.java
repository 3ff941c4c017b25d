package io.brewstream.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.KeyPartitioning;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.TopicPartitioner;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.DemoData;

/**
 * The reference data a run of the order path needs, written straight to the reference topics (where CDC would put
 * it): the demo menu and recipes, shops of the run's own, and a delivery per shop. The first shop gets only
 * {@code scarceMilkMillilitres} of milk, so it runs out during the run and the oversell race is in it.
 */
public final class RunReferenceData {
    private RunReferenceData() {
    }

    /** {@code count} shop ids starting with {@code prefix}, each in an order partition of its own while there are any. */
    public static List<String> shops(String prefix, int count) {
        Map<Integer, String> byPartition = new TreeMap<>();
        List<String> more = new ArrayList<>();
        for (int i = 0; byPartition.size() + more.size() < count; i++) {
            String shop = prefix + "-shop-" + i;
            int partition = KeyPartitioning.ofShop(shop, Topics.ORDER_COMMANDS.partitions());
            if (byPartition.size() < Topics.ORDER_COMMANDS.partitions()) {
                byPartition.putIfAbsent(partition, shop);
            } else {
                more.add(shop);
            }
        }
        List<String> all = new ArrayList<>(byPartition.values());
        all.addAll(more);
        return all;
    }

    /** The menu's items as the traffic orders them. */
    public static List<OrderTraffic.Item> menu() {
        return DemoData.menu().stream().map(item -> new OrderTraffic.Item(item.getMenuItemId(),
                List.copyOf(item.getSizes()), item.getOptions().contains("oat"))).toList();
    }

    public static void publish(String bootstrapServers, String registryUrl, List<String> shops, long scarceMilkMillilitres)
            throws Exception {
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        Shop model = DemoData.shops().get(0);
        send(bootstrapServers, serdes, Topics.MENU_ITEMS, DemoData.menu().stream()
                .map(m -> Map.entry(m.getMenuItemId(), m)).toList());
        send(bootstrapServers, serdes, Topics.RECIPES, DemoData.recipes().stream()
                .map(r -> Map.entry(r.getMenuItemId(), r)).toList());
        send(bootstrapServers, serdes, Topics.SHOPS, shops.stream()
                .map(id -> Map.entry(id, Shop.newBuilder(model).setShopId(id).setName(id).build())).toList());
        List<Map.Entry<String, StockDelivery>> deliveries = new ArrayList<>();
        for (String shop : shops) {
            boolean scarce = shop.equals(shops.get(0));
            List<IngredientQuantity> items = DemoData.openingDeliveries().get(0).getItems().stream()
                    .map(item -> IngredientQuantity.newBuilder(item).setQuantity(
                            scarce && item.getIngredientId().equals("milk-dairy") ? scarceMilkMillilitres : 1_000_000_000L)
                            .build())
                    .toList();
            deliveries.add(Map.entry("delivery-" + shop, StockDelivery.newBuilder().setDeliveryId("delivery-" + shop)
                    .setShopId(shop).setItems(items).setSupplier("run").setDeliveredAt(Instant.now()).build()));
        }
        send(bootstrapServers, serdes, Topics.STOCK_DELIVERIES, deliveries);
    }

    private static <V extends SpecificRecord> void send(String bootstrapServers, AvroSerdes serdes, Topic<V> topic,
            List<Map.Entry<String, V>> records) throws Exception {
        // the registry's partitioner: a delivery goes to its shop's orders partition, as the CDC connector puts it
        Map<String, Object> config = TopicPartitioner.setIn(new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers)));
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(config, new StringSerializer(),
                topic.valueSerde(serdes).serializer())) {
            for (Map.Entry<String, V> record : records) {
                producer.send(new ProducerRecord<>(topic.name(), record.getKey(), record.getValue()));
            }
            producer.flush();
        }
    }
}

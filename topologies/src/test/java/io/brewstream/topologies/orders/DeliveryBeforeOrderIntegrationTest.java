package io.brewstream.topologies.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.TopicPartitioner;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.DemoData;
import io.brewstream.topologies.runtime.StreamsApp;
import io.brewstream.topologies.runtime.StreamsSettings;
import io.brewstream.topologies.support.OrderFixtures;

/**
 * A delivery and an order placed after it, both waiting when the orders application starts (a restart with a
 * backlog, or a first start right after the database's snapshot): the order finds the delivered stock. When
 * deliveries went through a repartition, the order task took the order while the delivery was still in the
 * application's own open transaction, and rejected it for "0 available" (seen in the dashboard test, 3 runs in 8).
 */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class DeliveryBeforeOrderIntegrationTest {

    @Test
    void anOrderPlacedAfterADeliveryFindsItsStockEvenWhenBothWaitForTheApplication(EmbeddedInfrastructure infra,
            @TempDir Path stateDir) throws Exception {
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
        AvroSerdes serdes = AvroSerdes.forRegistry(infra.registryUrl());
        String shopId = EmbeddedInfrastructure.uniqueName("shop");
        Shop demo = DemoData.shops().get(0);
        StockDelivery opening = DemoData.openingDeliveries().get(0);
        String orderId = OrderIds.forRequest(shopId, "cust-1", null);
        OrderCommand place = OrderFixtures.place(orderId, "fp");
        place = OrderCommand.newBuilder(place).setIssuedAt(Instant.now())
                .setCommand(PlaceOrder.newBuilder((PlaceOrder) place.getCommand()).setShopId(shopId).build()).build();

        // in the order they happen: the shop and its menu, its opening delivery, then the order (one producer, so
        // each is acknowledged before the next is sent)
        Map<String, Object> config = TopicPartitioner.setIn(new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers())));
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(config, new StringSerializer(),
                serdes.valueSerde(SpecificRecord.class).serializer())) {
            send(producer, Topics.SHOPS, shopId, Shop.newBuilder(demo).setShopId(shopId).build());
            for (var item : DemoData.menu()) {
                send(producer, Topics.MENU_ITEMS, item.getMenuItemId(), item);
            }
            for (var recipe : DemoData.recipes()) {
                send(producer, Topics.RECIPES, recipe.getMenuItemId(), recipe);
            }
            send(producer, Topics.STOCK_DELIVERIES, "opening-" + shopId,
                    StockDelivery.newBuilder(opening).setDeliveryId("opening-" + shopId).setShopId(shopId).build());
            send(producer, Topics.ORDER_COMMANDS, orderId, place);
        }

        StreamsSettings settings = new StreamsSettings(infra.bootstrapServers(), infra.registryUrl(),
                EmbeddedInfrastructure.uniqueName("delivery-first"), stateDir, Optional.empty(), Duration.ofMillis(100),
                1, 0, 1);
        // no fraud topology runs: an order that passes pricing and stock stays PLACED, one short of stock is REJECTED
        try (StreamsApp app = new StreamsApp(new OrdersTopology(OrdersSettings.defaults()), settings).start()) {
            await().atMost(Duration.ofSeconds(60)).ignoreException(InvalidStateStoreException.class)
                    .until(() -> orders(app).get(orderId) != null);
            Order order = orders(app).get(orderId);
            assertThat(order.getReasons()).noneMatch(reason -> reason.contains("not enough"));
            assertThat(order.getStatus()).isEqualTo(OrderStatus.PLACED);
        }
    }

    private static ReadOnlyKeyValueStore<String, Order> orders(StreamsApp app) {
        return app.streams().store(StoreQueryParameters.fromNameAndType(OrderStores.ORDERS,
                QueryableStoreTypes.keyValueStore()));
    }

    private static void send(KafkaProducer<String, SpecificRecord> producer, Topic<?> topic, String key,
            SpecificRecord value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    }
}

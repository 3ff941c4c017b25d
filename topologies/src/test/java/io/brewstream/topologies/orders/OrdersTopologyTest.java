package io.brewstream.topologies.orders;

import static io.brewstream.topologies.support.OrderFixtures.T0;
import static io.brewstream.topologies.support.OrderFixtures.cancel;
import static io.brewstream.topologies.support.OrderFixtures.claim;
import static io.brewstream.topologies.support.OrderFixtures.place;
import static io.brewstream.topologies.support.OrderFixtures.ready;
import static io.brewstream.topologies.support.OrderFixtures.start;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/** The order state machine on the TopologyTestDriver, with serdes going through the real schema registry. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class OrdersTopologyTest {
    private final AvroSerdes serdes;
    private TopologyTestDriver driver;
    private TestInputTopic<String, OrderCommand> commands;
    private TestOutputTopic<String, OrderEvent> events;
    private TestOutputTopic<String, Order> currentOrders;
    private KeyValueStore<String, Order> store;

    OrdersTopologyTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @TempDir
    Path stateDir;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, EmbeddedInfrastructure.uniqueName("orders-ttd"));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(new OrdersTopology(OrdersSettings.defaults()).build(serdes, props), props, T0);
        commands = driver.createInputTopic(Topics.ORDER_COMMANDS.name(), Topics.ORDER_COMMANDS.keySerde().serializer(),
                Topics.ORDER_COMMANDS.valueSerde(serdes).serializer());
        events = driver.createOutputTopic(Topics.ORDER_EVENTS.name(), Topics.ORDER_EVENTS.keySerde().deserializer(),
                Topics.ORDER_EVENTS.valueSerde(serdes).deserializer());
        currentOrders = driver.createOutputTopic(Topics.ORDERS.name(), Topics.ORDERS.keySerde().deserializer(),
                Topics.ORDERS.valueSerde(serdes).deserializer());
        store = driver.getKeyValueStore(OrderStores.ORDERS);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void placeOrderCreatesAPlacedOrderAwaitingItsChecks() {
        commands.pipeInput("o-1", place("o-1", "fp-1"));

        Order order = store.get("o-1");
        assertThat(order.getStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(order.getVersion()).isEqualTo(1L);
        assertThat(order.getPendingChecks()).containsExactly(CheckType.PRICING, CheckType.INVENTORY, CheckType.PAYMENT);
        assertThat(order.getLines()).singleElement().satisfies(l -> {
            assertThat(l.getQuantity()).isEqualTo(2);
            assertThat(l.getUnitPrice()).as("never priced from the client").isNull();
        });

        OrderEvent event = events.readValue();
        assertThat(event.getFromStatus()).isNull();
        assertThat(event.getToStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(event.getAccepted()).isTrue();
        assertThat(currentOrders.readKeyValue().value).isEqualTo(order);
    }

    @Test
    void theSameRequestTwiceMakesOneOrder() {
        commands.pipeInput("o-1", place("o-1", "fp-1"));
        commands.pipeInput("o-1", place("o-1", "fp-1"));

        assertThat(events.readValuesToList()).hasSize(1);
        assertThat(store.get("o-1").getVersion()).isEqualTo(1L);
    }

    @Test
    void aReusedIdempotencyKeyWithAnotherRequestIsRefused() {
        commands.pipeInput("o-1", place("o-1", "fp-1"));
        commands.pipeInput("o-1", place("o-1", "fp-2"));

        List<OrderEvent> all = events.readValuesToList();
        assertThat(all).hasSize(2);
        assertThat(all.get(1).getAccepted()).isFalse();
        assertThat(all.get(1).getReasons()).singleElement().asString().contains("already used for a different order");
        assertThat(store.get("o-1").getRequestFingerprint()).isEqualTo("fp-1");
    }

    @Test
    void aPlacedOrderCanBeCancelledOnce() {
        commands.pipeInput("o-1", place("o-1", "fp-1"));
        commands.pipeInput("o-1", cancel("o-1"));
        commands.pipeInput("o-1", cancel("o-1"));

        List<OrderEvent> all = events.readValuesToList();
        assertThat(all.get(1).getToStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(all.get(1).getReasons()).singleElement().asString().contains("changed my mind");
        assertThat(all.get(2).getAccepted()).isFalse();
        assertThat(all.get(2).getReasons()).containsExactly("cannot cancel an order that is CANCELLED");
        assertThat(store.get("o-1").getStatus()).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void aCommandForAnUnknownOrderIsRefused() {
        commands.pipeInput("nope", cancel("nope"));

        OrderEvent event = events.readValue();
        assertThat(event.getAccepted()).isFalse();
        assertThat(event.getOrder()).isNull();
        assertThat(event.getReasons()).containsExactly("order nope does not exist");
        assertThat(currentOrders.isEmpty()).isTrue();
    }

    @Test
    void preparationNeedsAValidatedOrder() {
        commands.pipeInput("o-1", place("o-1", "fp-1"));
        commands.pipeInput("o-1", start("o-1"));

        List<OrderEvent> all = events.readValuesToList();
        assertThat(all.get(1).getAccepted()).isFalse();
        assertThat(all.get(1).getReasons()).containsExactly("cannot start preparing an order that is PLACED");
    }

    @Test
    void aValidatedOrderGoesThroughPreparationToPickup() {
        String code = readyForPickup("o-1");
        assertThat(code).matches("[A-Z2-9]{4}");
        commands.pipeInput("o-1", claim("o-1", code.toLowerCase()));

        assertThat(store.get("o-1").getStatus()).isEqualTo(OrderStatus.PICKED_UP);
        assertThat(events.readValuesToList()).extracting(OrderEvent::getToStatus)
                .containsExactly(OrderStatus.PLACED, OrderStatus.IN_PREPARATION, OrderStatus.READY, OrderStatus.PICKED_UP);
        commands.pipeInput("o-1", cancel("o-1"));
        assertThat(events.readValue().getReasons()).containsExactly("cannot cancel an order that is PICKED_UP");
    }

    @Test
    void wrongPickupCodesAreCountedAndLockTheClaim() {
        String code = readyForPickup("o-1");
        events.readValuesToList();

        for (int i = 1; i <= 5; i++) {
            commands.pipeInput("o-1", claim("o-1", "0000"));
            OrderEvent refused = events.readValue();
            assertThat(refused.getAccepted()).isFalse();
            assertThat(refused.getReasons()).containsExactly("wrong pickup code (" + i + " of 5 tries)");
        }
        commands.pipeInput("o-1", claim("o-1", code));

        assertThat(events.readValue().getReasons()).singleElement().asString().startsWith("claim locked");
        assertThat(store.get("o-1").getStatus()).isEqualTo(OrderStatus.READY);
        assertThat(store.get("o-1").getFailedClaims()).isEqualTo(5);
    }

    /** Places, validates, starts and readies an order; returns its pickup code. */
    private String readyForPickup(String orderId) {
        commands.pipeInput(orderId, place(orderId, "fp-1"));
        validate(orderId);
        commands.pipeInput(orderId, start(orderId));
        commands.pipeInput(orderId, ready(orderId));
        return store.get(orderId).getPickupCode();
    }

    /** Validation arrives with the order lifecycle work; until then tests put the validated order in place. */
    private void validate(String orderId) {
        Order order = store.get(orderId);
        store.put(orderId, Order.newBuilder(order).setStatus(OrderStatus.VALIDATED).setPendingChecks(List.of()).build());
    }
}

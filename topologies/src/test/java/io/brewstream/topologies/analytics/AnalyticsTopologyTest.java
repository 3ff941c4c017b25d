package io.brewstream.topologies.analytics;

import static io.brewstream.topologies.reference.DemoData.MITTE;
import static io.brewstream.topologies.support.OrderFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.analytics.ShopStats;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.support.DriverSupport;

/** Per-minute shop statistics from order transitions. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class AnalyticsTopologyTest {
    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, OrderEvent> events;

    @TempDir
    Path stateDir;

    AnalyticsTopologyTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @BeforeEach
    void setUp() {
        support = new DriverSupport(new AnalyticsTopology(), serdes, stateDir, T0);
        events = support.input(Topics.ORDER_EVENTS);
    }

    private final java.util.Set<String> moved = new java.util.HashSet<>();

    @AfterEach
    void tearDown() {
        support.close();
    }

    @Test
    void ordersRevenueItemsAndPreparationTimeAreCountedPerMinute() {
        Order latte = DriverSupport.order("o-1", MITTE, OrderStatus.PLACED, "latte", 2, ItemSize.MEDIUM, List.of());
        latte.setTotal(Amounts.of(760, "EUR"));
        Order espresso = DriverSupport.order("o-2", MITTE, OrderStatus.PLACED, "espresso", 1, ItemSize.MEDIUM, List.of());
        espresso.setTotal(Amounts.of(250, "EUR"));

        move(latte, OrderStatus.PLACED, T0.plusSeconds(1));
        move(espresso, OrderStatus.PLACED, T0.plusSeconds(2));
        move(latte, OrderStatus.VALIDATED, T0.plusSeconds(10));
        move(espresso, OrderStatus.VALIDATED, T0.plusSeconds(11));
        move(latte, OrderStatus.IN_PREPARATION, T0.plusSeconds(20));
        move(latte, OrderStatus.READY, T0.plusSeconds(110));   // 90 s of preparation, in the next minute
        move(latte, OrderStatus.PICKED_UP, T0.plusSeconds(130));
        move(espresso, OrderStatus.CANCELLED, T0.plusSeconds(131));

        List<ShopStats> minutes = minutes(T0, T0.plus(Duration.ofMinutes(5)));
        assertThat(minutes).hasSize(3);
        ShopStats first = minutes.get(0);
        assertThat(first.getOrdersPlaced()).isEqualTo(2);
        assertThat(first.getOrdersValidated()).isEqualTo(2);
        assertThat(first.getRevenue()).isEqualTo(Amounts.of(1010, "EUR"));
        assertThat(first.getItemsOrdered()).containsEntry("latte", 2L).containsEntry("espresso", 1L);
        ShopStats second = minutes.get(1);
        assertThat(second.getPreparations()).isEqualTo(1);
        assertThat(second.getPreparationMillisTotal()).isEqualTo(90_000);
        ShopStats third = minutes.get(2);
        assertThat(third.getOrdersPickedUp()).isEqualTo(1);
        assertThat(third.getOrdersRejected()).isEqualTo(1);
    }

    @Test
    void anOrderRejectedInTheStepThatPlacesItIsCountedPlacedAndRejected() {
        Order unpriceable = DriverSupport.order("o-1", MITTE, OrderStatus.PLACED, "unicorn", 1, ItemSize.MEDIUM, List.of());
        move(unpriceable, OrderStatus.REJECTED, T0.plusSeconds(1));

        ShopStats minute = minutes(T0, T0.plusSeconds(59)).get(0);
        assertThat(minute.getOrdersPlaced()).isEqualTo(1);
        assertThat(minute.getOrdersRejected()).isEqualTo(1);
    }

    private List<ShopStats> minutes(Instant from, Instant to) {
        WindowStore<String, ShopStats> store = support.driver.getWindowStore(AnalyticsStores.SHOP_STATS);
        List<ShopStats> all = new ArrayList<>();
        try (var it = store.fetch(MITTE, from, to)) {
            it.forEachRemaining(kv -> all.add(kv.value));
        }
        return all;
    }

    /** The order's transition to {@code to}: from nothing the first time, as the orders topology says it. */
    private void move(Order order, OrderStatus to, Instant at) {
        OrderStatus from = moved.add(order.getOrderId()) ? null : order.getStatus();
        order.setStatus(to);
        events.pipeInput(order.getOrderId(), OrderEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOrderId(order.getOrderId()).setShopId(order.getShopId()).setFromStatus(from).setToStatus(to)
                .setOrder(Order.newBuilder(order).build())
                .setKind(OrderEventKind.TRANSITION).setOccurredAt(at).build());
    }
}

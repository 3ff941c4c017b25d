package io.brewstream.topologies.bots;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.bots.ChatLinkCode;
import io.brewstream.schemas.bots.ChatOrder;
import io.brewstream.schemas.bots.Feedback;
import io.brewstream.schemas.bots.NotificationButton;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.bots.TelegramUpdate;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.CancelOrder;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.DemoData;
import io.brewstream.topologies.support.DriverSupport;

/** A chat from /start to the pickup code, on the TopologyTestDriver with the real registry's serdes. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class BotsTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");
    private static final long CHAT = 4242L;
    private static final String CHAT_KEY = Keys.chat("brewbot", CHAT);

    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, TelegramUpdate> updates;
    private TestInputTopic<String, OrderEvent> orderEvents;
    private TestOutputTopic<String, OutboundNotification> notifications;
    private TestOutputTopic<String, OrderCommand> commands;
    private TestOutputTopic<String, ChatOrder> chatOrders;
    private TestOutputTopic<String, ChatLinkCode> linkCodes;
    private TestOutputTopic<String, Feedback> feedback;
    private long updateId = 1000;

    @TempDir
    Path stateDir;

    BotsTopologyTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @BeforeEach
    void setUp() {
        support = new DriverSupport(new BotsTopology(), serdes, stateDir, T0);
        support.seed(Topics.SHOPS, DemoData.shops(), s -> s.getShopId());
        support.seed(Topics.MENU_ITEMS, DemoData.menu(), m -> m.getMenuItemId());
        support.seed(Topics.LINK_CODES, List.of(ChatLinkCode.newBuilder().setCode("ABCD234567").setCustomerId("cust-42")
                .setCreatedAt(T0).setExpiresAt(T0.plus(Duration.ofHours(1))).build()), ChatLinkCode::getCode);
        updates = support.input(Topics.TELEGRAM_UPDATES);
        orderEvents = support.input(Topics.ORDER_EVENTS);
        notifications = support.output(Topics.NOTIFICATIONS);
        commands = support.output(Topics.ORDER_COMMANDS);
        chatOrders = support.output(Topics.CHAT_ORDERS);
        linkCodes = support.output(Topics.LINK_CODES);
        feedback = support.output(Topics.FEEDBACK);
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    private TelegramUpdate text(String text) {
        return TelegramUpdate.newBuilder().setBotName("brewbot").setUpdateId(++updateId).setKind("message")
                .setChatId(CHAT).setChatType("private").setFromUserId(7L).setText(text).setMessageId(updateId)
                .setMessageDate(T0).setReceivedAt(T0).build();
    }

    private TelegramUpdate button(String data) {
        return TelegramUpdate.newBuilder().setBotName("brewbot").setUpdateId(++updateId).setKind("callback_query")
                .setChatId(CHAT).setCallbackQueryId("cq-" + updateId).setCallbackData(data).setMessageDate(T0)
                .setReceivedAt(T0).build();
    }

    private List<OutboundNotification> send(TelegramUpdate update) {
        updates.pipeInput(CHAT_KEY, update);
        return notifications.readValuesToList();
    }

    private static String data(OutboundNotification n, String label) {
        return n.getButtons().stream().filter(b -> b.getText().equals(label)).findFirst()
                .map(NotificationButton::getData).orElseThrow();
    }

    @Test
    void aLinkedChatOrdersConfirmsAndIsToldItsTotalAndPickupCodeOnly() {
        assertThat(send(text("/order latte"))).singleElement().satisfies(n ->
                assertThat(n.getText()).contains("Link this chat"));
        assertThat(commands.isEmpty()).isTrue();

        assertThat(send(text("/start abcd234567"))).singleElement().satisfies(n -> assertThat(n.getText()).contains("now orders"));
        assertThat(linkCodes.readValue().getExpiresAt()).as("the code is spent").isEqualTo(T0);

        List<OutboundNotification> asked = send(text("/order@brewbot latte large oat x2 at mitte"));
        assertThat(asked).singleElement().satisfies(n -> {
            assertThat(n.getText()).contains("2x latte large oat").contains("brewstream Mitte");
            assertThat(n.getButtons()).extracting(NotificationButton::getText).containsExactly("Confirm", "Drop");
            assertThat(n.getRecipient()).isEqualTo(CHAT_KEY);
        });
        List<OutboundNotification> placed = send(button(data(asked.get(0), "Confirm")));
        assertThat(placed).anySatisfy(n -> assertThat(n.getCallbackQueryId()).isNotNull());

        OrderCommand command = commands.readValue();
        assertThat(command.getChannel()).isEqualTo(Channel.TELEGRAM);
        PlaceOrder place = (PlaceOrder) command.getCommand();
        assertThat(place.getCustomerId()).isEqualTo("cust-42");
        assertThat(place.getShopId()).isEqualTo("berlin-mitte");
        assertThat(place.getLines().get(0).getQuantity()).isEqualTo(2);
        assertThat(chatOrders.readValue().getChatKey()).isEqualTo(CHAT_KEY);
        assertThat(send(button(data(asked.get(0), "Confirm")))).as("an old button places nothing twice")
                .singleElement().satisfies(n -> assertThat(n.getText()).isEmpty());
        assertThat(commands.isEmpty()).isTrue();

        // the order's changes come back to this chat: the total, then the pickup code once ready
        Order order = Order.newBuilder(DriverSupport.order(command.getOrderId(), "berlin-mitte", OrderStatus.PLACED,
                "latte", 2, io.brewstream.schemas.orders.ItemSize.LARGE, List.of("oat"))).setCustomerId("cust-42")
                .setTotal(Amounts.of(980, "EUR")).setPendingChecks(List.of(io.brewstream.schemas.orders.CheckType.PAYMENT))
                .build();
        orderEvents.pipeInput(order.getOrderId(), OrderEvent.newBuilder(DriverSupport.transition(order, OrderStatus.PLACED))
                .setKind(io.brewstream.schemas.orders.OrderEventKind.CHECK).build());
        assertThat(notifications.readValuesToList()).singleElement().satisfies(n ->
                assertThat(n.getText()).contains("9.80 EUR").contains("pay at the counter"));
        Order ready = Order.newBuilder(order).setStatus(OrderStatus.READY).setPickupCode("K7QF").build();
        orderEvents.pipeInput(order.getOrderId(), DriverSupport.transition(ready, OrderStatus.IN_PREPARATION));
        assertThat(notifications.readValuesToList()).singleElement().satisfies(n -> {
            assertThat(n.getText()).contains("K7QF");
            assertThat(n.getRecipient()).isEqualTo(CHAT_KEY);
            assertThat(n.getOrderId()).isEqualTo(order.getOrderId());
        });

        Order other = Order.newBuilder(ready).setOrderId("someone-elses").build();
        orderEvents.pipeInput(other.getOrderId(), DriverSupport.transition(other, OrderStatus.IN_PREPARATION));
        assertThat(notifications.isEmpty()).as("an order not placed from a chat tells no chat").isTrue();

        assertThat(send(text("/status"))).singleElement().satisfies(n -> assertThat(n.getText()).contains("ready"));
    }

    @Test
    void aShopThatFitsSeveralIsPickedWithAButtonAndCancelAndFeedbackWork() {
        send(text("/start ABCD234567"));
        linkCodes.readValuesToList();
        List<OutboundNotification> which = send(text("/order cappuccino oat at berlin"));
        assertThat(which).singleElement().satisfies(n -> assertThat(n.getButtons()).hasSize(3));
        String kreuzberg = which.get(0).getButtons().stream().filter(b -> b.getData().startsWith("shop:berlin-kreuzberg"))
                .findFirst().orElseThrow().getData();
        List<OutboundNotification> confirm = send(button(kreuzberg));
        String confirmData = confirm.stream().filter(n -> !n.getButtons().isEmpty()).findFirst()
                .map(n -> data(n, "Confirm")).orElseThrow();
        send(button(confirmData));
        OrderCommand placed = commands.readValue();
        assertThat(((PlaceOrder) placed.getCommand()).getShopId()).isEqualTo("berlin-kreuzberg");

        send(text("/cancel"));
        OrderCommand cancel = commands.readValue();
        assertThat(cancel.getOrderId()).isEqualTo(placed.getOrderId());
        assertThat(cancel.getCommand()).isInstanceOf(CancelOrder.class);

        send(text("The oat cappuccino was lovely"));
        Feedback said = feedback.readValue();
        assertThat(said.getShopId()).isEqualTo("berlin-kreuzberg");
        assertThat(said.getCustomerId()).isEqualTo("cust-42");
        assertThat(said.getChannel()).isEqualTo(Channel.TELEGRAM);
    }

    @Test
    void aSharedLocationMakesTheNearestShopTheChatsShop() {
        TelegramUpdate location = TelegramUpdate.newBuilder(text("ignored")).setText(null)
                .setLocation(io.brewstream.schemas.common.GeoPoint.newBuilder().setLatitude(52.4990).setLongitude(13.4180).build())
                .build();
        assertThat(send(location)).singleElement().satisfies(n -> assertThat(n.getText())
                .contains("nearest shop is brewstream Kreuzberg").contains("km"));
        assertThat(send(text("/menu"))).singleElement().satisfies(n -> assertThat(n.getText())
                .startsWith("Menu at brewstream Kreuzberg"));
        send(text("/start ABCD234567"));
        assertThat(send(text("/order espresso"))).singleElement().satisfies(n -> assertThat(n.getText())
                .contains("at brewstream Kreuzberg"));
    }

    @Test
    void aRedeliveredUpdateCountsOnceAndBadCodesLinkNothing() {
        TelegramUpdate start = text("/start NOPE000000");
        assertThat(send(start)).singleElement().satisfies(n -> assertThat(n.getText()).contains("unknown"));
        assertThat(send(start)).as("Telegram's retry of the same update").isEmpty();

        TelegramUpdate menu = text("/menu mitte");
        assertThat(send(menu)).singleElement().satisfies(n -> assertThat(n.getText())
                .contains("Menu at brewstream Mitte").contains("latte").contains("3.80 EUR"));
        assertThat(send(text("hello"))).singleElement().satisfies(n -> assertThat(n.getText()).contains("/order"));
        assertThat(send(text("/order latte at mitte"))).singleElement().satisfies(n ->
                assertThat(n.getText()).contains("Link this chat"));
    }
}

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
import io.brewstream.schemas.agents.TaskReply;
import io.brewstream.schemas.bots.ChatQuestion;
import io.brewstream.schemas.bots.Feedback;
import io.brewstream.schemas.bots.NotificationButton;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.bots.ChatEvent;
import io.brewstream.schemas.bots.StaffChat;
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
    private static final String CHAT = "4242";
    private static final String CHAT_KEY = Keys.chat(Channel.TELEGRAM, "brewbot", CHAT);

    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, ChatEvent> updates;
    private TestInputTopic<String, io.brewstream.schemas.inventory.LowStock> lowStock;
    private TestInputTopic<String, io.brewstream.schemas.fraud.FraudScore> fraudAlerts;
    private TestOutputTopic<String, StaffChat> staffChats;
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
                .setCreatedAt(T0).setExpiresAt(T0.plus(Duration.ofHours(1))).build(),
                ChatLinkCode.newBuilder().setCode("STAFF23456").setStaffShopId("berlin-mitte")
                .setCreatedAt(T0).setExpiresAt(T0.plus(Duration.ofHours(1))).build()), ChatLinkCode::getCode);
        updates = support.input(Topics.CHAT_EVENTS);
        lowStock = support.input(Topics.LOW_STOCK);
        fraudAlerts = support.input(Topics.FRAUD_ALERTS);
        staffChats = support.output(Topics.STAFF_CHATS);
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

    private ChatEvent text(String text) {
        return ChatEvent.newBuilder().setPlatform(Channel.TELEGRAM).setBotName("brewbot").setEventId(String.valueOf(++updateId))
                .setKind("message").setChatId(CHAT).setChatType("private").setUserId("7").setText(text)
                .setMessageId(String.valueOf(updateId)).setMessageDate(T0).setReceivedAt(T0).build();
    }

    private ChatEvent button(String data) {
        return ChatEvent.newBuilder().setPlatform(Channel.TELEGRAM).setBotName("brewbot").setEventId(String.valueOf(++updateId))
                .setKind("button").setChatId(CHAT).setCallbackId("cq-" + updateId).setCallbackData(data)
                .setMessageId("m-" + updateId).setMessageDate(T0).setReceivedAt(T0).build();
    }

    private List<OutboundNotification> send(ChatEvent update) {
        updates.pipeInput(Keys.chat(update.getPlatform(), update.getBotName(), update.getChatId()), update);
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
        ChatEvent confirm = button(data(asked.get(0), "Confirm"));
        List<OutboundNotification> placed = send(confirm);
        assertThat(placed).anySatisfy(n -> assertThat(n.getCallbackQueryId()).isNotNull());
        assertThat(placed).as("the pressed message says what became of it, its buttons gone").anySatisfy(n -> {
            assertThat(n.getEditMessageId()).isEqualTo(confirm.getMessageId());
            assertThat(n.getText()).startsWith("Ordered: 2x latte large oat at brewstream Mitte");
            assertThat(n.getButtons()).isEmpty();
        });

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
        String kreuzberg = data(which.get(0), "brewstream Kreuzberg");
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
        ChatEvent location = ChatEvent.newBuilder(text("ignored")).setText(null)
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
        ChatEvent start = text("/start NOPE000000");
        assertThat(send(start)).singleElement().satisfies(n -> assertThat(n.getText()).contains("unknown"));
        assertThat(send(start)).as("Telegram's retry of the same update").isEmpty();

        ChatEvent menu = text("/menu mitte");
        assertThat(send(menu)).singleElement().satisfies(n -> assertThat(n.getText())
                .contains("Menu at brewstream Mitte").contains("latte").contains("3.80 EUR"));
        assertThat(send(text("hello"))).singleElement().satisfies(n -> assertThat(n.getText()).contains("/order"));
        assertThat(send(text("/order latte at mitte"))).singleElement().satisfies(n ->
                assertThat(n.getText()).contains("Link this chat"));
    }

    @Test
    void aStaffCodeMakesAStaffChatThatHearsItsShopsLowStockAndHeldOrdersUntilStop() {
        assertThat(send(text("/start STAFF23456"))).singleElement().satisfies(n ->
                assertThat(n.getText()).contains("staff alerts of brewstream Mitte"));
        assertThat(staffChats.readKeyValue()).satisfies(kv -> {
            assertThat(kv.key).isEqualTo(Keys.staffChat("berlin-mitte", CHAT_KEY));
            assertThat(kv.value.getActive()).isTrue();
        });
        support.seed(Topics.STAFF_CHATS, List.of(StaffChat.newBuilder().setShopId("berlin-mitte").setChatKey(CHAT_KEY)
                .setPlatform(Channel.TELEGRAM).setBotName("brewbot").setLinkedAt(T0).build()),
                c -> Keys.staffChat(c.getShopId(), c.getChatKey()));

        io.brewstream.schemas.inventory.LowStock low = io.brewstream.schemas.inventory.LowStock.newBuilder()
                .setShopId("berlin-mitte").setIngredientId("oat-milk").setAvailable(400).setThreshold(2000)
                .setUnit(io.brewstream.schemas.inventory.StockUnit.MILLILITRE).setDetectedAt(T0).build();
        lowStock.pipeInput("berlin-mitte", low);
        lowStock.pipeInput("berlin-kreuzberg", io.brewstream.schemas.inventory.LowStock.newBuilder(low)
                .setShopId("berlin-kreuzberg").build());
        assertThat(notifications.readValuesToList()).as("Kreuzberg has no staff chat").singleElement().satisfies(n -> {
            assertThat(n.getRecipient()).isEqualTo(CHAT_KEY);
            assertThat(n.getText()).contains("oat-milk has 400 millilitre left (threshold 2000)");
        });

        io.brewstream.schemas.fraud.FraudScore held = io.brewstream.schemas.fraud.FraudScore.newBuilder()
                .setOrderId("berlin-mitte:o1").setCustomerId("cust-9").setShopId("berlin-mitte").setScore(0.71)
                .setLevel(io.brewstream.schemas.fraud.FraudLevel.HIGH)
                .setDecision(io.brewstream.schemas.fraud.FraudDecision.REVIEW)
                .setReasons(List.of(io.brewstream.schemas.fraud.FraudReason.newBuilder().setRule("customer-velocity-10m")
                        .setWeight(0.4).setContribution(0.4).setDetail("7 orders in 10 minutes (limit 5)").build()))
                .setScoredAt(T0).build();
        fraudAlerts.pipeInput(held.getOrderId(), held);
        assertThat(notifications.readValuesToList()).singleElement().satisfies(n -> {
            assertThat(n.getText()).startsWith("Check before you prepare: order berlin-mitte:o1")
                    .contains("7 orders in 10 minutes");
            assertThat(n.getOrderId()).isEqualTo("berlin-mitte:o1");
        });

        assertThat(send(text("/stop"))).singleElement().satisfies(n -> assertThat(n.getText()).startsWith("Unlinked"));
        StaffChat stopped = staffChats.readValue();
        assertThat(stopped.getActive()).isFalse();
        support.seed(Topics.STAFF_CHATS, List.of(stopped), c -> Keys.staffChat(c.getShopId(), c.getChatKey()));
        lowStock.pipeInput("berlin-mitte", io.brewstream.schemas.inventory.LowStock.newBuilder(low)
                .setDetectedAt(T0.plusSeconds(60)).build());
        assertThat(notifications.isEmpty()).as("a stopped staff chat hears nothing").isTrue();
    }

    @Test
    void aQuestionGoesToTheShopsAssistantAndOnlyAStaffChatAnswersAnAgentsQuestion() {
        TestOutputTopic<String, ChatQuestion> questions = support.output(Topics.CHAT_QUESTIONS);
        TestOutputTopic<String, TaskReply> replies = support.output(Topics.TASK_REPLIES);
        assertThat(send(text("do you have oat milk?"))).singleElement().satisfies(n ->
                assertThat(n.getText()).startsWith("Which shop is it about?").contains("berlin-mitte"));
        assertThat(questions.isEmpty()).isTrue();

        assertThat(send(text("Do you have oat milk at berlin-kreuzberg?"))).singleElement().satisfies(n ->
                assertThat(n.getText()).startsWith("Let me find out"));
        assertThat(questions.readKeyValue()).satisfies(kv -> {
            assertThat(kv.key).isEqualTo("berlin-kreuzberg");
            assertThat(kv.value.getChatKey()).isEqualTo(CHAT_KEY);
            assertThat(kv.value.getBotName()).isEqualTo("brewbot");
            assertThat(kv.value.getText()).isEqualTo("Do you have oat milk at berlin-kreuzberg?");
        });
        send(text("/ask is brewstream Mitte open on sundays"));
        assertThat(questions.readValue().getShopId()).as("by the shop's name").isEqualTo("berlin-mitte");
        send(text("and on mondays?"));
        assertThat(questions.readValue().getShopId()).as("a follow-up: the shop asked about last").isEqualTo("berlin-mitte");

        assertThat(send(text("/answer K7QF2M yes"))).singleElement().satisfies(n ->
                assertThat(n.getText()).startsWith("Only a shop's staff chat"));
        assertThat(replies.isEmpty()).isTrue();
        send(text("/start STAFF23456"));
        assertThat(send(text("/answer k7qf2o"))).singleElement().satisfies(n ->
                assertThat(n.getText()).contains("/answer K7QF2M yes"));
        assertThat(send(text("/answer k7qf2o yes, add it"))).singleElement().satisfies(n ->
                assertThat(n.getText()).isEqualTo("Thanks, I passed your answer to K7QF20 on."));
        assertThat(replies.readKeyValue()).satisfies(kv -> {
            assertThat(kv.key).isEqualTo("K7QF20");
            assertThat(kv.value.getAnswerCode()).isEqualTo("K7QF20");
            assertThat(kv.value.getText()).isEqualTo("yes, add it");
            assertThat(kv.value.getShopId()).as("the staff chat's shop, never one the text names").isEqualTo("berlin-mitte");
        });
    }

    @Test
    void shopButtonsStayWithinTelegramsSixtyFourBytesWhateverTheShopIds() {
        String longId = "hamburg-" + "x".repeat(56); // 64 characters, the longest shop id an order id takes
        support.seed(Topics.SHOPS, List.of(io.brewstream.schemas.reference.Shop.newBuilder(DemoData.shops().get(0))
                .setShopId(longId).setName("brewstream Long Name").build()), s -> s.getShopId());
        send(text("/start ABCD234567"));
        List<OutboundNotification> which = send(text("/order espresso"));
        assertThat(which).singleElement().satisfies(n -> assertThat(n.getButtons())
                .allSatisfy(b -> assertThat(b.getData().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(64)));
        List<OutboundNotification> confirm = send(button(data(which.get(0), "brewstream Long Name")));
        send(button(confirm.stream().filter(n -> !n.getButtons().isEmpty()).findFirst().map(n -> data(n, "Confirm"))
                .orElseThrow()));
        assertThat(((PlaceOrder) commands.readValue().getCommand()).getShopId()).isEqualTo(longId);
    }

    @Test
    void slackAndDiscordChatsOrderThroughTheSameConversationAndDiscordRepliesFollowUpTheirInteraction() {
        ChatEvent slackStart = ChatEvent.newBuilder(text("/start ABCD234567")).setPlatform(Channel.SLACK)
                .setBotName("brewapp").setChatId("D024BE91L").setChatType("im").setEventId("Ev01").build();
        assertThat(send(slackStart)).singleElement().satisfies(n -> {
            assertThat(n.getChannel()).isEqualTo(Channel.SLACK);
            assertThat(n.getRecipient()).isEqualTo("slack:brewapp:D024BE91L");
        });
        List<OutboundNotification> asked = send(ChatEvent.newBuilder(slackStart).setEventId("Ev02")
                .setText("/order flat white at mitte").build());
        send(ChatEvent.newBuilder(button(data(asked.get(0), "Confirm"))).setPlatform(Channel.SLACK).setBotName("brewapp")
                .setChatId("D024BE91L").setCallbackId(null).build());
        OrderCommand slackOrder = commands.readValue();
        assertThat(slackOrder.getChannel()).isEqualTo(Channel.SLACK);

        ChatEvent discordStart = ChatEvent.newBuilder(text("/start ABCD234567")).setPlatform(Channel.DISCORD)
                .setBotName("brewapp").setChatId("1101").setChatType("dm").setEventId("9001")
                .setReplyToken("app-1/token-a").build();
        assertThat(send(discordStart)).singleElement().satisfies(n -> {
            assertThat(n.getChannel()).isEqualTo(Channel.DISCORD);
            assertThat(n.getReplyToken()).isEqualTo("app-1/token-a");
        });
    }
}

package io.brewstream.connectors.bots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.bots.DeliveryStatus;
import io.brewstream.schemas.bots.NotificationButton;
import io.brewstream.schemas.bots.NotificationDelivery;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.Topics;

/** The sender on the real broker against a local server that answers as the Bot API does. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class ChatSenderIntegrationTest {
    private static final long LIMITED = 1001;
    private static final long BLOCKED = 1002;
    private static final long FLAKY = 1003;
    private static final long CALM = 1004;

    private final EmbeddedInfrastructure infra;
    private final AvroSerdes serdes;

    ChatSenderIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
        this.serdes = AvroSerdes.forRegistry(infra.registryUrl());
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
    }

    private static FakeBotApi.Reply script(long chat, int attempt) {
        if (chat == LIMITED && attempt == 1) {
            return new FakeBotApi.Reply(429, 2, "Too Many Requests: retry after 2");
        }
        if (chat == BLOCKED) {
            return new FakeBotApi.Reply(403, null, "Forbidden: bot was blocked by the user");
        }
        if (chat == FLAKY && attempt == 1) {
            return new FakeBotApi.Reply(502, null, "Bad Gateway");
        }
        return FakeBotApi.Reply.OK;
    }

    private OutboundNotification notification(String id, long chat, String text) {
        return OutboundNotification.newBuilder().setNotificationId(id).setChannel(Channel.TELEGRAM)
                .setRecipient(Keys.chat(Channel.TELEGRAM, "brewbot", String.valueOf(chat))).setBotName("brewbot").setText(text)
                .setButtons(List.of(NotificationButton.newBuilder().setText("Confirm").setData("confirm:x").build()))
                .setCreatedAt(Instant.now()).build();
    }

    private void publish(List<OutboundNotification> notifications) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (OutboundNotification n : notifications) {
                producer.send(new ProducerRecord<>(Topics.NOTIFICATIONS.name(), n.getRecipient(),
                        Topics.NOTIFICATIONS.valueSerde(serdes).serializer().serialize(Topics.NOTIFICATIONS.name(), n)));
            }
        }
    }

    private List<NotificationDelivery> deliveries(String prefix) {
        List<NotificationDelivery> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, EmbeddedInfrastructure.uniqueName("deliveries"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DELIVERIES.name()));
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    NotificationDelivery d = Topics.DELIVERIES.valueSerde(serdes).deserializer()
                            .deserialize(record.topic(), record.value());
                    if (d.getNotificationId().startsWith(prefix)) {
                        found.add(d);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void limitsAreKeptEachChatWaitsAloneAndNothingIsSentTwiceAcrossARestart() throws Exception {
        String run = EmbeddedInfrastructure.uniqueName("n");
        List<OutboundNotification> batch = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            batch.add(notification(run + "-limited-" + i, LIMITED, "limited " + i));
            batch.add(notification(run + "-blocked-" + i, BLOCKED, "blocked " + i));
        }
        batch.add(notification(run + "-flaky", FLAKY, "flaky"));
        for (int i = 0; i < 3; i++) {
            batch.add(notification(run + "-calm-" + i, CALM, "calm " + i));
        }
        batch.add(notification(run + "-calm-0", CALM, "calm 0 again")); // the same notification twice
        batch.add(OutboundNotification.newBuilder(notification(run + "-edit", 3001, "Ordered: 1x latte"))
                .setButtons(List.of()).setEditMessageId("77").build());
        for (int chat = 0; chat < 40; chat++) {
            batch.add(notification(run + "-crowd-" + chat, 2000 + chat, "crowd"));
        }
        publish(batch);

        try (FakeBotApi telegram = new FakeBotApi(chat -> attempt -> script(chat, attempt))) {
            ChatSender.Settings settings = ChatSender.Settings.defaults(List.of(new ChatSender.Platform(
                    TelegramPlatform.withTelegramsLimits(telegram.url()), Map.of("brewbot", FakeBotApi.TOKEN))));
            Instant started = Instant.now();
            try (ChatSender sender = new ChatSender(infra.bootstrapServers(), serdes, settings)) {
                // what was sent, as one line: a failure says which chat fell short and whether the sender still ran
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(String.format(
                        "limited %d, flaky %d, calm %d, crowd %d, edits %d, sender running %s",
                        telegram.sentTo(LIMITED).size(), telegram.sentTo(FLAKY).size(), telegram.sentTo(CALM).size(),
                        telegram.calls.stream().filter(c -> c.chatId() >= 2000 && c.chatId() < 3000).count(),
                        telegram.calls.stream().filter(c -> c.method().equals("editMessageText")).count(),
                        sender.isRunning())).as("faults the sender went on after: %d", sender.faults())
                        .isEqualTo("limited 2, flaky 1, calm 3, crowd 40, edits 1, sender running true"));
            }
            // a 429 held up its own chat for retry_after, and no other chat
            assertThat(Duration.between(started, telegram.sentTo(LIMITED).get(0).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(telegram.sentTo(CALM).get(0).at()).isBefore(telegram.sentTo(LIMITED).get(0).at());
            // one message a second per chat
            List<FakeBotApi.Call> calm = telegram.sentTo(CALM);
            for (int i = 1; i < calm.size(); i++) {
                assertThat(Duration.between(calm.get(i - 1).at(), calm.get(i).at())).isGreaterThan(Duration.ofMillis(900));
            }
            assertThat(calm).extracting(FakeBotApi.Call::text).containsExactly("calm 0", "calm 1", "calm 2");
            // at most 30 a second for the bot: the 40 chats of the crowd took more than one second
            List<Instant> crowd = telegram.calls.stream().filter(c -> c.chatId() >= 2000 && c.chatId() < 3000)
                    .map(FakeBotApi.Call::at).sorted().toList();
            FakeBotApi.Call edit = telegram.calls.stream().filter(c -> c.method().equals("editMessageText")).findFirst().orElseThrow();
            assertThat(edit.chatId()).isEqualTo(3001);
            assertThat(edit.body().path("message_id").asLong()).isEqualTo(77);
            assertThat(edit.body().path("reply_markup").path("inline_keyboard")).as("the buttons are gone").isEmpty();
            for (int i = 30; i < crowd.size(); i++) {
                assertThat(Duration.between(crowd.get(i - 30), crowd.get(i))).isGreaterThan(Duration.ofMillis(900));
            }
            assertThat(telegram.sentTo(BLOCKED)).isEmpty();
            assertThat(telegram.sentTo(CALM).get(0).body().path("reply_markup").path("inline_keyboard").get(0).get(0)
                    .path("callback_data").asText()).isEqualTo("confirm:x");

            // restarted, it sends nothing it sent before; a new notification still goes out
            int before = telegram.calls.size();
            publish(List.of(notification(run + "-after-restart", CALM, "after restart")));
            try (ChatSender again = new ChatSender(infra.bootstrapServers(), serdes, settings)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> telegram.sentTo(CALM).size() == 4);
            }
            assertThat(telegram.calls.size()).isEqualTo(before + 1);
        }

        List<NotificationDelivery> deliveries = deliveries(run);
        assertThat(deliveries).filteredOn(d -> d.getNotificationId().contains("-blocked-"))
                .extracting(NotificationDelivery::getStatus).containsOnly(DeliveryStatus.FAILED).hasSize(2);
        assertThat(deliveries).filteredOn(d -> d.getNotificationId().endsWith("-flaky"))
                .extracting(NotificationDelivery::getStatus).containsExactly(DeliveryStatus.RETRYING, DeliveryStatus.SENT);
        assertThat(deliveries).filteredOn(d -> d.getNotificationId().endsWith("-limited-0"))
                .extracting(NotificationDelivery::getStatus).containsExactly(DeliveryStatus.RETRYING, DeliveryStatus.SENT);
    }

    private OutboundNotification chatNotification(String id, Channel platform, String chat, String text) {
        return OutboundNotification.newBuilder().setNotificationId(id).setChannel(platform)
                .setRecipient(Keys.chat(platform, "brewapp", chat)).setBotName("brewapp").setText(text)
                .setCreatedAt(Instant.now()).build();
    }

    private static final String SLACK_TOKEN = "xoxb-17-test";

    /** Answers as Slack's Web API does: a Bearer token, HTTP 200 with ok or an error, 429 with Retry-After. */
    private static FakeChatApi.Answer slack(FakeChatApi.Call call, int attempt) {
        if (!("Bearer " + SLACK_TOKEN).equals(call.authorization())) {
            return FakeChatApi.Answer.json(200, "{\"ok\":false,\"error\":\"invalid_auth\"}");
        }
        String channel = call.body().path("channel").asText();
        if (channel.equals("C0LIMITED") && attempt == 1) {
            return new FakeChatApi.Answer(429, Map.of("Retry-After", "2"), "{\"ok\":false,\"error\":\"ratelimited\"}");
        }
        if (channel.equals("C0GONE")) {
            return FakeChatApi.Answer.json(200, "{\"ok\":false,\"error\":\"not_in_channel\"}");
        }
        return FakeChatApi.Answer.json(200, "{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"1503435956.0000"
                + attempt + "\"}");
    }

    @Test
    void slackGetsItsMessagesEditsAndButtonsAndA429OrAGoneChannelStopsOnlyItsChannel() throws Exception {
        String run = EmbeddedInfrastructure.uniqueName("s");
        List<OutboundNotification> batch = new ArrayList<>();
        batch.add(chatNotification(run + "-limited", Channel.SLACK, "C0LIMITED", "limited"));
        batch.add(chatNotification(run + "-gone-1", Channel.SLACK, "C0GONE", "gone 1"));
        batch.add(chatNotification(run + "-gone-2", Channel.SLACK, "C0GONE", "gone 2"));
        batch.add(OutboundNotification.newBuilder(chatNotification(run + "-ask", Channel.SLACK, "D0CALM", "Confirm?"))
                .setButtons(List.of(NotificationButton.newBuilder().setText("Confirm").setData("confirm:ab12").build()))
                .build());
        batch.add(OutboundNotification.newBuilder(chatNotification(run + "-edit", Channel.SLACK, "D0CALM", "Ordered"))
                .setEditMessageId("1503435956.000247").build());
        publish(batch);
        try (FakeChatApi api = new FakeChatApi(ChatSenderIntegrationTest::slack)) {
            Instant started = Instant.now();
            try (ChatSender sender = new ChatSender(infra.bootstrapServers(), serdes, ChatSender.Settings.defaults(List.of(
                    new ChatSender.Platform(SlackPlatform.withSlacksLimits(api.url()), Map.of("brewapp", SLACK_TOKEN)))))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> api.calls.stream()
                        .filter(c -> c.body().path("channel").asText().equals("C0LIMITED")).count() == 2
                        && api.to("chat.update").size() == 1);
            }
            FakeChatApi.Call ask = api.to("chat.postMessage").stream()
                    .filter(c -> c.body().path("channel").asText().equals("D0CALM")).findFirst().orElseThrow();
            assertThat(ask.body().path("blocks").get(1).path("elements").get(0).path("value").asText()).isEqualTo("confirm:ab12");
            FakeChatApi.Call edit = api.to("chat.update").get(0);
            assertThat(edit.body().path("ts").asText()).isEqualTo("1503435956.000247");
            assertThat(Duration.between(ask.at(), edit.at())).as("one message a second per channel")
                    .isGreaterThan(Duration.ofMillis(900));
            FakeChatApi.Call retried = api.calls.stream().filter(c -> c.body().path("channel").asText().equals("C0LIMITED"))
                    .toList().get(1);
            assertThat(Duration.between(started, retried.at())).as("Retry-After honoured").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(ask.at()).as("the 429 held up its channel only").isBefore(retried.at());
            assertThat(api.calls.stream().filter(c -> c.body().path("channel").asText().equals("C0GONE")))
                    .as("a channel the bot is gone from is not tried again").hasSize(1);
        }
        List<NotificationDelivery> deliveries = deliveries(run);
        assertThat(deliveries).filteredOn(d -> d.getNotificationId().contains("-gone-"))
                .extracting(NotificationDelivery::getStatus).containsOnly(DeliveryStatus.FAILED).hasSize(2);
        assertThat(deliveries).filteredOn(d -> d.getNotificationId().endsWith("-limited"))
                .extracting(NotificationDelivery::getStatus).containsExactly(DeliveryStatus.RETRYING, DeliveryStatus.SENT);
    }

    private static final String DISCORD_TOKEN = "MTA1.discord-bot-token";

    /**
     * Answers as Discord's HTTP API does: follow-ups on the interaction's webhook without a bot token; channel
     * messages with {@code Bot <token>}; a global 429 with a fractional retry_after; 403 code 50007.
     */
    private static FakeChatApi.Answer discord(FakeChatApi.Call call, int attempt) {
        if (call.path().startsWith("/webhooks/")) {
            return FakeChatApi.Answer.json(200, "{\"id\":\"1\",\"content\":\"ok\"}");
        }
        if (!("Bot " + DISCORD_TOKEN).equals(call.authorization())) {
            return FakeChatApi.Answer.json(401, "{\"message\":\"401: Unauthorized\",\"code\":0}");
        }
        if (call.path().contains("/channels/2001/") && attempt == 1) {
            return FakeChatApi.Answer.json(429, "{\"message\":\"You are being rate limited.\",\"retry_after\":1.5,"
                    + "\"global\":true}");
        }
        if (call.path().contains("/channels/2002/")) {
            return FakeChatApi.Answer.json(403, "{\"message\":\"Cannot send messages to this user\",\"code\":50007}");
        }
        return FakeChatApi.Answer.json(200, "{\"id\":\"2\"}");
    }

    @Test
    void discordRepliesFollowUpTheirInteractionLaterOnesUseTheBotTokenAndAGlobal429PausesTheBot() throws Exception {
        String run = EmbeddedInfrastructure.uniqueName("d");
        publish(List.of(
                OutboundNotification.newBuilder(chatNotification(run + "-follow-up", Channel.DISCORD, "1001", "Ordered"))
                        .setReplyToken("app-9/tok-abc").build(),
                OutboundNotification.newBuilder(chatNotification(run + "-edit", Channel.DISCORD, "1001", "Dropped"))
                        .setReplyToken("app-9/tok-abc").setEditMessageId("555").build(),
                chatNotification(run + "-global", Channel.DISCORD, "2001", "ready"),
                chatNotification(run + "-blocked", Channel.DISCORD, "2002", "ready")));
        try (FakeChatApi api = new FakeChatApi(ChatSenderIntegrationTest::discord)) {
            try (ChatSender sender = new ChatSender(infra.bootstrapServers(), serdes, ChatSender.Settings.defaults(List.of(
                    new ChatSender.Platform(DiscordPlatform.withDiscordsLimits(api.url()), Map.of("brewapp", DISCORD_TOKEN)))))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> api.to("/channels/2001/").size() == 2
                        && api.to("/webhooks/").size() == 2 && api.to("/channels/2002/").size() == 1);
            }
            FakeChatApi.Call followUp = api.to("/webhooks/app-9/tok-abc").get(0);
            assertThat(followUp.method()).isEqualTo("POST");
            assertThat(followUp.authorization()).as("a follow-up takes the interaction's token, not the bot's").isNull();
            assertThat(followUp.body().path("content").asText()).isEqualTo("Ordered");
            FakeChatApi.Call edit = api.to("/messages/@original").get(0);
            assertThat(edit.method()).isEqualTo("PATCH");
            assertThat(edit.body().path("components")).isEmpty();
            List<FakeChatApi.Call> limited = api.to("/channels/2001/");
            assertThat(Duration.between(limited.get(0).at(), limited.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            assertThat(api.calls.stream().filter(c -> c.authorization() != null && c.at().isAfter(limited.get(0).at())))
                    .as("a global 429 pauses every chat of the bot for its retry_after")
                    .allSatisfy(c -> assertThat(Duration.between(limited.get(0).at(), c.at()))
                            .isGreaterThanOrEqualTo(Duration.ofMillis(1450)));
        }
        List<NotificationDelivery> deliveries = deliveries(run);
        assertThat(deliveries).filteredOn(d -> d.getNotificationId().endsWith("-blocked"))
                .extracting(NotificationDelivery::getStatus).containsExactly(DeliveryStatus.FAILED);
        assertThat(deliveries).filteredOn(d -> d.getNotificationId().endsWith("-global"))
                .extracting(NotificationDelivery::getDetail).first().asString().contains("the whole bot");
    }
}

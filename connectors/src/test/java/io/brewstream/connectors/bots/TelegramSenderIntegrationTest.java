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
class TelegramSenderIntegrationTest {
    private static final long LIMITED = 1001;
    private static final long BLOCKED = 1002;
    private static final long FLAKY = 1003;
    private static final long CALM = 1004;

    private final EmbeddedInfrastructure infra;
    private final AvroSerdes serdes;

    TelegramSenderIntegrationTest(EmbeddedInfrastructure infra) {
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
                .setRecipient(Keys.chat("brewbot", chat)).setBotName("brewbot").setText(text)
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
        for (int chat = 0; chat < 40; chat++) {
            batch.add(notification(run + "-crowd-" + chat, 2000 + chat, "crowd"));
        }
        publish(batch);

        try (FakeBotApi telegram = new FakeBotApi(chat -> attempt -> script(chat, attempt))) {
            TelegramSender.Settings settings = TelegramSender.Settings.defaults(telegram.url(),
                    Map.of("brewbot", FakeBotApi.TOKEN));
            Instant started = Instant.now();
            try (TelegramSender sender = new TelegramSender(infra.bootstrapServers(), serdes, settings)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> telegram.sentTo(LIMITED).size() == 2
                        && telegram.sentTo(FLAKY).size() == 1 && telegram.sentTo(CALM).size() == 3
                        && telegram.calls.stream().filter(c -> c.chatId() >= 2000).count() == 40);
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
            List<Instant> crowd = telegram.calls.stream().filter(c -> c.chatId() >= 2000).map(FakeBotApi.Call::at).sorted().toList();
            for (int i = 30; i < crowd.size(); i++) {
                assertThat(Duration.between(crowd.get(i - 30), crowd.get(i))).isGreaterThan(Duration.ofMillis(900));
            }
            assertThat(telegram.sentTo(BLOCKED)).isEmpty();
            assertThat(telegram.sentTo(CALM).get(0).body().path("reply_markup").path("inline_keyboard").get(0).get(0)
                    .path("callback_data").asText()).isEqualTo("confirm:x");

            // restarted, it sends nothing it sent before; a new notification still goes out
            int before = telegram.calls.size();
            publish(List.of(notification(run + "-after-restart", CALM, "after restart")));
            try (TelegramSender again = new TelegramSender(infra.bootstrapServers(), serdes, settings)) {
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
}

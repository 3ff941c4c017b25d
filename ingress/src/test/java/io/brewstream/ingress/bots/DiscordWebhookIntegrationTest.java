package io.brewstream.ingress.bots;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.ingress.orders.IngressServerTest;
import io.brewstream.ingress.orders.IngressTestServer;
import io.brewstream.schemas.bots.ChatEvent;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;

/**
 * Discord's Interactions Endpoint on the real broker, fed with interactions as Discord documents them and signed
 * as Discord signs them: Ed25519 over the timestamp and the raw body (the key pair is RFC 8032's first test vector).
 */
class DiscordWebhookIntegrationTest extends IngressServerTest {
    /** A chat of its own for each test: the test instance lives for the whole class. */
    private String channel;

    @BeforeEach
    void newChat() {
        channel = Long.toString(1_100_000_000_000_000_000L + System.nanoTime() % 1_000_000_000L);
    }

    DiscordWebhookIntegrationTest(EmbeddedInfrastructure infra) {
        super(infra);
    }

    private static String sign(String privateKeyHex, String timestamp, String body) throws Exception {
        PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                HexFormat.of().parseHex("302e020100300506032b657004220420" + privateKeyHex)));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update((timestamp + body).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(signer.sign());
    }

    private HttpResponse<String> deliver(String sent, String signed, long timestamp, String privateKey) throws Exception {
        String ts = Long.toString(timestamp);
        return server.post("/bots/discord/brewapp", sent, Map.of("Authorization", "",
                DiscordWebhookRoutes.TIMESTAMP_HEADER, ts, DiscordWebhookRoutes.SIGNATURE_HEADER, sign(privateKey, ts, signed)));
    }

    private HttpResponse<String> deliver(String body) throws Exception {
        return deliver(body, body, Instant.now().getEpochSecond(), IngressTestServer.DISCORD_PRIVATE_KEY);
    }

    private String command(String id, String options) {
        return """
                {"type":2,"id":"%s","application_id":"775799577604522054","token":"A_UNIQUE_TOKEN_%s","version":1,
                 "guild_id":"290926798626357250","channel_id":"%s","locale":"en-US","app_permissions":"442368",
                 "member":{"user":{"id":"53908232506183680","username":"mason","discriminator":"0","avatar":null},
                 "roles":[],"joined_at":"2017-03-13T19:19:14.040000+00:00","deaf":false,"mute":false},
                 "data":{"id":"771825006014889984","name":"order","type":1,"options":%s}}""".formatted(id, id, channel, options);
    }

    @Test
    void aPingIsAnsweredCommandsAreDeferredAndButtonsAcknowledgedOnceRecorded() throws Exception {
        HttpResponse<String> ping = deliver("{\"type\":1,\"id\":\"1\",\"application_id\":\"775799577604522054\",\"token\":\"t\",\"version\":1}");
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("{\"type\":1}");

        HttpResponse<String> order = deliver(command("786008729715212338",
                "[{\"name\":\"text\",\"type\":3,\"value\":\"latte large oat x2 at mitte\"}]"));
        assertThat(order.statusCode()).isEqualTo(200);
        assertThat(order.body()).as("deferred: the reply follows up").isEqualTo("{\"type\":5}");

        String component = """
                {"type":3,"id":"786008729715212339","application_id":"775799577604522054","token":"A_UNIQUE_TOKEN_2",
                 "version":1,"channel_id":"%s","user":{"id":"53908232506183680","username":"mason"},
                 "message":{"id":"786008729715212400","channel_id":"%s","content":"1x latte. Confirm?"},
                 "data":{"custom_id":"confirm:ab12cd34","component_type":2}}""".formatted(channel, channel);
        HttpResponse<String> pressed = deliver(component);
        assertThat(pressed.statusCode()).isEqualTo(200);
        assertThat(pressed.body()).isEqualTo("{\"type\":6}");

        var recorded = server.all(Topics.CHAT_EVENTS, Keys.chat(Channel.DISCORD, "brewapp", channel));
        assertThat(recorded).extracting(ChatEvent::getKind).containsExactly("message", "button");
        assertThat(recorded.get(0).getText()).isEqualTo("/order latte large oat x2 at mitte");
        assertThat(recorded.get(0).getUserId()).as("member.user in a server").isEqualTo("53908232506183680");
        assertThat(recorded.get(0).getChatType()).isEqualTo("guild");
        assertThat(recorded.get(0).getReplyToken()).isEqualTo("775799577604522054/A_UNIQUE_TOKEN_786008729715212338");
        assertThat(recorded.get(1).getCallbackData()).isEqualTo("confirm:ab12cd34");
        assertThat(recorded.get(1).getMessageId()).isEqualTo("786008729715212400");
        assertThat(recorded.get(1).getChatType()).isEqualTo("dm");
    }

    @Test
    void aBadMissingStaleOrTamperedSignatureIsA401AndWritesNothing() throws Exception {
        String body = command("786008729715212999", "[{\"name\":\"text\",\"type\":3,\"value\":\"espresso\"}]");
        long now = Instant.now().getEpochSecond();
        String otherKey = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"; // RFC 8032's second
        assertThat(deliver(body, body, now, otherKey).statusCode()).isEqualTo(401);
        assertThat(server.post("/bots/discord/brewapp", body, Map.of("Authorization", "")).statusCode()).isEqualTo(401);
        assertThat(deliver(body.replace("espresso", "99 lattes"), body, now, IngressTestServer.DISCORD_PRIVATE_KEY)
                .statusCode()).isEqualTo(401);
        assertThat(deliver(body, body, now - 6 * 60, IngressTestServer.DISCORD_PRIVATE_KEY).statusCode())
                .as("signed six minutes ago").isEqualTo(401);
        assertThat(server.all(Topics.CHAT_EVENTS, Keys.chat(Channel.DISCORD, "brewapp", channel))).isEmpty();

        assertThat(deliver(body).statusCode()).isEqualTo(200);
        assertThat(deliver(body).statusCode()).as("a replay within the window").isEqualTo(200);
        assertThat(server.all(Topics.CHAT_EVENTS, Keys.chat(Channel.DISCORD, "brewapp", channel)))
                .as("the same interaction id twice: the bots count it once").extracting(ChatEvent::getEventId)
                .containsExactly("786008729715212999", "786008729715212999");
        assertThat(deliver("{\"type\":99}").statusCode()).isEqualTo(400);
    }
}

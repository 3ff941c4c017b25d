package io.brewstream.ingress.bots;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.ingress.orders.IngressServerTest;
import io.brewstream.ingress.orders.IngressTestServer;
import io.brewstream.schemas.bots.ChatEvent;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.schemas.topics.Topics;

/** Telegram's webhook on the real broker, fed with Update JSON as the Bot API documents it. */
class TelegramWebhookIntegrationTest extends IngressServerTest {
    private long chat = 70_000 + (System.nanoTime() % 10_000);

    TelegramWebhookIntegrationTest(EmbeddedInfrastructure infra) {
        super(infra);
    }



    private HttpResponse<String> deliver(String bot, String json, String secret) throws Exception {
        return server.post("/bots/telegram/" + bot, json, secret == null ? Map.of("Authorization", "")
                : Map.of("Authorization", "", TelegramWebhookRoutes.SECRET_HEADER, secret));
    }

    @Test
    void messagesEditsAndButtonPressesAreRecordedKeyedByChatAndOtherKindsAreNot() throws Exception {
        long c = ++chat;
        String message = """
                {"update_id":10,"message":{"message_id":5,"from":{"id":7,"is_bot":false,"first_name":"A","username":"ann"},
                 "chat":{"id":%d,"first_name":"A","type":"private"},"date":1764061200,"text":"/order@brewbot latte"}}""".formatted(c);
        String edited = """
                {"update_id":11,"edited_message":{"message_id":5,"from":{"id":7,"is_bot":false,"first_name":"A"},
                 "chat":{"id":%d,"type":"private"},"date":1764061200,"edit_date":1764061260,"text":"/order mocha"}}""".formatted(c);
        String sticker = """
                {"update_id":12,"message":{"message_id":6,"from":{"id":7,"is_bot":false,"first_name":"A"},
                 "chat":{"id":%d,"type":"private"},"date":1764061300,"sticker":{"file_id":"x","file_unique_id":"y",
                 "type":"regular","width":512,"height":512,"is_animated":false,"is_video":false}}}""".formatted(c);
        String pressed = """
                {"update_id":13,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":7,"is_bot":false,"first_name":"A"},
                 "message":{"message_id":8,"chat":{"id":%d,"type":"private"},"date":1764061300,"text":"Confirm?"},
                 "chat_instance":"-42","data":"confirm:abc"}}""".formatted(c);
        String location = """
                {"update_id":15,"message":{"message_id":9,"from":{"id":7,"is_bot":false,"first_name":"A"},
                 "chat":{"id":%d,"type":"private"},"date":1764061400,"location":{"latitude":52.5013,"longitude":13.4186}}}"""
                .formatted(c);
        String poll = "{\"update_id\":14,\"poll\":{\"id\":\"1\",\"question\":\"?\",\"options\":[],\"total_voter_count\":0,"
                + "\"is_closed\":false,\"is_anonymous\":true,\"type\":\"regular\",\"allows_multiple_answers\":false}}";

        for (String update : new String[] {message, edited, sticker, pressed, poll, location}) {
            assertThat(deliver("brewbot", update, IngressTestServer.TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        }

        var recorded = server.all(Topics.CHAT_EVENTS, Keys.chat(Channel.TELEGRAM, "brewbot", String.valueOf(c)));
        assertThat(recorded).extracting(ChatEvent::getKind)
                .containsExactly("message", "edited_message", "button", "message");
        assertThat(recorded.get(3).getLocation().getLatitude()).isEqualTo(52.5013);
        assertThat(recorded.get(3).getText()).isNull();
        assertThat(recorded.get(0).getText()).isEqualTo("/order@brewbot latte");
        assertThat(recorded.get(0).getUsername()).isEqualTo("ann");
        assertThat(recorded.get(1).getText()).isEqualTo("/order mocha");
        assertThat(recorded.get(2).getCallbackData()).isEqualTo("confirm:abc");
        assertThat(recorded.get(2).getCallbackId()).isEqualTo("4382bfdwdsb323b2d9");
    }

    @Test
    void aWrongOrMissingSecretAMalformedUpdateAndAnUnknownBotWriteNothing() throws Exception {
        long c = ++chat;
        String message = """
                {"update_id":20,"message":{"message_id":1,"chat":{"id":%d,"type":"private"},"date":1,"text":"hi"}}""".formatted(c);

        assertThat(deliver("brewbot", message, null).statusCode()).isEqualTo(401);
        assertThat(deliver("brewbot", message, "telegram-secret_2").statusCode()).isEqualTo(401);
        assertThat(deliver("otherbot", message, IngressTestServer.TELEGRAM_SECRET).statusCode()).isEqualTo(404);
        assertThat(deliver("brewbot", "{\"update_id\":21,\"message\":{\"text\":\"no chat\"}}",
                IngressTestServer.TELEGRAM_SECRET).statusCode()).isEqualTo(400);
        assertThat(deliver("brewbot", "[1,2]", IngressTestServer.TELEGRAM_SECRET).statusCode()).isEqualTo(400);
        assertThat(deliver("brewbot", "{", IngressTestServer.TELEGRAM_SECRET).statusCode()).isEqualTo(400);

        assertThat(server.all(Topics.CHAT_EVENTS, Keys.chat(Channel.TELEGRAM, "brewbot", String.valueOf(c)))).isEmpty();
    }
}

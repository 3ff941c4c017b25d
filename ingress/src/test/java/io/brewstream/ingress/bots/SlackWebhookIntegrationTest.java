package io.brewstream.ingress.bots;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
 * Slack's Request URL on the real broker, fed with Events API envelopes, slash commands and block actions as
 * Slack documents them, each signed as Slack signs it (v0 HMAC-SHA256 over the timestamp and the raw body).
 */
class SlackWebhookIntegrationTest extends IngressServerTest {
    /** A chat of its own for each test: the test instance lives for the whole class. */
    private String dm;

    @BeforeEach
    void newChat() {
        dm = "D" + Long.toString(System.nanoTime() % 1_000_000_000L, 36).toUpperCase();
    }

    SlackWebhookIntegrationTest(EmbeddedInfrastructure infra) {
        super(infra);
    }

    private HttpResponse<String> deliver(String body, String contentType, long timestamp, String secret) throws Exception {
        return deliver(body, body, contentType, timestamp, secret);
    }

    private HttpResponse<String> deliver(String sent, String signed, String contentType, long timestamp, String secret)
            throws Exception {
        String ts = Long.toString(timestamp);
        return server.post("/bots/slack/brewapp", sent, Map.of("Authorization", "", "Content-Type", contentType,
                SlackWebhookRoutes.TIMESTAMP_HEADER, ts, SlackWebhookRoutes.SIGNATURE_HEADER,
                SlackWebhookRoutes.signature(secret.getBytes(StandardCharsets.UTF_8), ts, signed.getBytes(StandardCharsets.UTF_8))));
    }

    private HttpResponse<String> json(String body) throws Exception {
        return deliver(body, "application/json", Instant.now().getEpochSecond(), IngressTestServer.SLACK_SECRET);
    }

    private HttpResponse<String> form(Map<String, String> fields) throws Exception {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return deliver(body.toString(), "application/x-www-form-urlencoded", Instant.now().getEpochSecond(),
                IngressTestServer.SLACK_SECRET);
    }

    private String event(String eventId, String event) {
        return """
                {"token":"XXYYZZ","team_id":"T123ABC456","api_app_id":"A123ABC456","event":%s,"type":"event_callback",
                 "event_id":"%s","event_time":1355517523,"authorizations":[{"team_id":"T123ABC456","user_id":"U0LAN0Z89",
                 "is_bot":true}],"event_context":"4-eyJldCI6Im1lc3NhZ2UifQ"}""".formatted(event, eventId);
    }

    @Test
    void theChallengeMessagesEditsSlashCommandsAndButtonsAreRecordedAndBotsOwnMessagesAreNot() throws Exception {
        HttpResponse<String> challenge = json("""
                {"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                 "type":"url_verification"}""");
        assertThat(challenge.statusCode()).isEqualTo(200);
        assertThat(challenge.body()).contains("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");

        String message = event("Ev0PV52K21", """
                {"type":"message","channel":"%s","user":"U2147483697","text":"/menu mitte","ts":"1355517523.000005",
                 "event_ts":"1355517523.000005","channel_type":"im"}""".formatted(dm));
        assertThat(json(message).statusCode()).isEqualTo(200);
        assertThat(json(event("Ev0PV52K22", """
                {"type":"message","subtype":"bot_message","channel":"%s","bot_id":"B0LAN0Z89","text":"Menu at ...",
                 "ts":"1355517524.000001","channel_type":"im"}""".formatted(dm))).statusCode()).as("our own reply").isEqualTo(200);
        assertThat(json(event("Ev0PV52K23", """
                {"type":"message","subtype":"message_changed","hidden":true,"channel":"%s","ts":"1355517530.000001",
                 "message":{"type":"message","user":"U2147483697","text":"/order mocha","ts":"1355517523.000005",
                 "edited":{"user":"U2147483697","ts":"1355517529.000001"}},"channel_type":"im"}""".formatted(dm)))
                .statusCode()).isEqualTo(200);
        assertThat(json(event("Ev0PV52K24", """
                {"type":"app_mention","user":"U2147483697","text":"<@U0LAN0Z89> /status","ts":"1355517540.000001",
                 "channel":"%s","event_ts":"1355517540.000001"}""".formatted(dm))).statusCode()).isEqualTo(200);
        assertThat(form(Map.of("token", "gIkuvaNzQIHg97ATvDxqgjtO", "team_id", "T0001", "channel_id", dm,
                "user_id", "U2147483697", "user_name", "steve", "command", "/order", "text", "latte large oat x2",
                "response_url", "https://hooks.slack.com/commands/1234/5678", "trigger_id", "13345224609.738474920.8088930838d88f008e0",
                "api_app_id", "A123456")).statusCode()).isEqualTo(200);
        String actions = """
                {"type":"block_actions","user":{"id":"U2147483697","username":"steve","team_id":"T0001"},
                 "api_app_id":"A123456","container":{"type":"message","message_ts":"1548261231.000200","channel_id":"%s",
                 "is_ephemeral":false},"trigger_id":"12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
                 "channel":{"id":"%s","name":"directmessage"},"message":{"type":"message","ts":"1548261231.000200"},
                 "response_url":"https://hooks.slack.com/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209",
                 "actions":[{"action_id":"b0","block_id":"x","text":{"type":"plain_text","text":"Confirm"},
                 "value":"confirm:ab12cd34","type":"button","action_ts":"1548426417.840180"}]}""".formatted(dm, dm);
        assertThat(form(Map.of("payload", actions)).statusCode()).isEqualTo(200);

        var recorded = server.all(Topics.CHAT_EVENTS, Keys.chat(Channel.SLACK, "brewapp", dm));
        assertThat(recorded).extracting(ChatEvent::getKind)
                .containsExactly("message", "edited_message", "message", "message", "button");
        assertThat(recorded).extracting(ChatEvent::getText)
                .containsExactly("/menu mitte", "/order mocha", "/status", "/order latte large oat x2", null);
        assertThat(recorded.get(0).getEventId()).isEqualTo("Ev0PV52K21");
        assertThat(recorded.get(0).getChatType()).isEqualTo("im");
        assertThat(recorded.get(0).getMessageId()).isEqualTo("1355517523.000005");
        assertThat(recorded.get(3).getUsername()).isEqualTo("steve");
        assertThat(recorded.get(4).getCallbackData()).isEqualTo("confirm:ab12cd34");
        assertThat(recorded.get(4).getMessageId()).as("the message to edit").isEqualTo("1548261231.000200");
        assertThat(recorded).allSatisfy(e -> assertThat(e.getPlatform()).isEqualTo(Channel.SLACK));
    }

    @Test
    void aBadMissingOrStaleSignatureIsRefusedAndAReplayRepeatsItsEventId() throws Exception {
        String body = event("Ev0REPLAY1", """
                {"type":"message","channel":"%s","user":"U2147483697","text":"hello","ts":"1355517523.000005",
                 "channel_type":"im"}""".formatted(dm));
        long now = Instant.now().getEpochSecond();
        assertThat(deliver(body, "application/json", now, "another0secret0of0this0app000000").statusCode()).isEqualTo(401);
        assertThat(server.post("/bots/slack/brewapp", body, Map.of("Authorization", "")).statusCode()).isEqualTo(401);
        assertThat(deliver(body, "application/json", now - 6 * 60, IngressTestServer.SLACK_SECRET).statusCode())
                .as("signed six minutes ago: a possible replay").isEqualTo(401);
        assertThat(deliver(body, "application/json", now + 6 * 60, IngressTestServer.SLACK_SECRET).statusCode()).isEqualTo(401);
        assertThat(deliver(body.replace("hello", "/order 99 latte"), body, "application/json", now,
                IngressTestServer.SLACK_SECRET).statusCode()).as("signed, then changed on the way").isEqualTo(401);
        assertThat(server.all(Topics.CHAT_EVENTS, Keys.chat(Channel.SLACK, "brewapp", dm))).as("nothing written").isEmpty();

        assertThat(deliver(body, "application/json", now, IngressTestServer.SLACK_SECRET).statusCode()).isEqualTo(200);

        assertThat(deliver(body, "application/json", now, IngressTestServer.SLACK_SECRET).statusCode())
                .as("Slack's retry, X-Slack-Retry-Num or not").isEqualTo(200);
        assertThat(server.all(Topics.CHAT_EVENTS, Keys.chat(Channel.SLACK, "brewapp", dm)))
                .as("the bots count one event id once").extracting(ChatEvent::getEventId)
                .containsExactly("Ev0REPLAY1", "Ev0REPLAY1");

        assertThat(deliver("{", "application/json", now, IngressTestServer.SLACK_SECRET).statusCode()).isEqualTo(400);
        assertThat(server.post("/bots/slack/otherapp", body, Map.of("Authorization", "")).statusCode()).isEqualTo(404);
    }
}

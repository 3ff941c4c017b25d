package io.brewstream.ingress.bots;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.security.Access;
import io.brewstream.schemas.bots.ChatEvent;
import io.brewstream.schemas.common.Channel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code POST /bots/slack/{appName}}: one Slack app's Request URL for its Events API subscription, its slash
 * commands and its interactivity (buttons), as Slack sends them.
 *
 * <p>Every request is signed with the app's signing secret: {@code X-Slack-Signature} is {@code v0=} and the hex
 * HMAC-SHA256 of {@code v0:<X-Slack-Request-Timestamp>:<raw body>}, compared in constant time; a timestamp more
 * than five minutes from now is refused as a possible replay. Anything else: 401, nothing written.
 * <ul>
 * <li>JSON {@code url_verification}: the challenge is answered.</li>
 * <li>JSON {@code event_callback} with a {@code message} (or {@code app_mention}) from a person: a chat event, its
 * {@code event_id} the event id (Slack's retries repeat it). Edits ({@code message_changed}) are edited messages;
 * messages from bots, our own among them, are ignored (no loops).</li>
 * <li>Form-encoded slash command ({@code command}, {@code text}): a message {@code /order latte}.</li>
 * <li>Form-encoded {@code payload} of type {@code block_actions}: a button, its {@code value} the data.</li>
 * </ul>
 * Slack wants an answer within three seconds; it comes once the event is written.
 */
public final class SlackWebhookRoutes implements HttpRoutes {
    public static final String PATH = "/bots/slack/{appName}";
    public static final String SIGNATURE_HEADER = "X-Slack-Signature";
    public static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    public static final String SECRETS_VARIABLE = "BREWSTREAM_SLACK_SIGNING_SECRETS";
    /** Slack's own advice: refuse a request whose timestamp is more than five minutes away. */
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final Map<String, byte[]> secrets;
    private final ChatWebhooks webhooks;
    private final Clock clock;

    /** @param secrets each app's signing secret, by app name */
    public SlackWebhookRoutes(Map<String, String> secrets, ChatWebhooks webhooks, Clock clock) {
        this.secrets = ChatWebhooks.bytes(secrets);
        this.webhooks = webhooks;
        this.clock = clock;
    }

    /** {@code appName=signingSecret,...}. */
    public static Map<String, String> secrets(String spec) {
        return ChatWebhooks.pairs(SECRETS_VARIABLE, spec, Pattern.compile("[A-Za-z0-9]{8,128}"), "8-128 letters and digits");
    }

    /** The {@code X-Slack-Signature} of a body sent at a time, as Slack computes it. */
    public static String signature(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::receive, Access.WEBHOOK);
    }

    private void receive(Context ctx) {
        String app = ctx.pathParam("appName");
        byte[] secret = secrets.get(app);
        if (secret == null) {
            throw ChatWebhooks.noSuchBot(app);
        }
        byte[] body = ctx.bodyAsBytes();
        verify(ctx, app, secret, body);
        Instant now = clock.instant();
        String contentType = String.valueOf(ctx.header("Content-Type")).toLowerCase(java.util.Locale.ROOT);
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            ChatEvent event = form.containsKey("payload") ? button(app, json(form.get("payload")), now)
                    : form.containsKey("command") ? command(app, form, now) : null;
            if (event == null) {
                webhooks.ignored(ctx, Channel.SLACK, app, Map.of());
            } else {
                webhooks.publish(ctx, event, Map.of());
            }
            return;
        }
        JsonNode envelope = json(new String(body, StandardCharsets.UTF_8));
        switch (envelope.path("type").asText()) {
            case "url_verification" -> webhooks.ignored(ctx, Channel.SLACK, app,
                    Map.of("challenge", envelope.path("challenge").asText()));
            case "event_callback" -> {
                ChatEvent event = message(app, envelope, now);
                if (event == null) {
                    webhooks.ignored(ctx, Channel.SLACK, app, Map.of());
                } else {
                    webhooks.publish(ctx, event, Map.of());
                }
            }
            default -> webhooks.ignored(ctx, Channel.SLACK, app, Map.of()); // app_rate_limited and the like
        }
    }

    private void verify(Context ctx, String app, byte[] secret, byte[] body) {
        String timestamp = ctx.header(TIMESTAMP_HEADER);
        String given = ctx.header(SIGNATURE_HEADER);
        if (timestamp == null || given == null || !timestamp.matches("\\d{1,12}")) {
            throw webhooks.unauthorized(Channel.SLACK, app, "the " + SIGNATURE_HEADER + " and " + TIMESTAMP_HEADER
                    + " headers are required");
        }
        Duration age = Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), clock.instant()).abs();
        if (age.compareTo(WINDOW) > 0) {
            throw webhooks.unauthorized(Channel.SLACK, app, "the request's timestamp is more than five minutes away");
        }
        byte[] expected = signature(secret, timestamp, body).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw webhooks.unauthorized(Channel.SLACK, app, "the " + SIGNATURE_HEADER + " does not match this app's signing secret");
        }
    }

    /** An Events API message from a person; null for what the bots do not read. */
    private static ChatEvent message(String app, JsonNode envelope, Instant now) {
        JsonNode event = envelope.path("event");
        String type = event.path("type").asText();
        if (!type.equals("message") && !type.equals("app_mention")) {
            return null;
        }
        String subtype = event.path("subtype").asText("");
        boolean edited = subtype.equals("message_changed");
        JsonNode message = edited ? event.path("message") : event;
        if ((!subtype.isEmpty() && !edited) || message.has("bot_id") || !message.path("user").isTextual()
                || !message.path("text").isTextual()) {
            return null; // a bot's message (our own replies), a join, a deletion, a file share: nothing to read
        }
        if (!envelope.path("event_id").isTextual() || !event.path("channel").isTextual()) {
            throw ChatWebhooks.invalid("event_id", "an event_callback needs its event_id and its event's channel");
        }
        // a mention of the app leads the text: "<@U0LAN0Z89> /order latte"
        String text = message.path("text").asText().replaceFirst("^\\s*<@[A-Z0-9]+>\\s*", "");
        return ChatEvent.newBuilder().setPlatform(Channel.SLACK).setBotName(app)
                .setEventId(envelope.path("event_id").asText())
                .setChatId(event.path("channel").asText())
                .setChatType(event.path("channel_type").isTextual() ? event.path("channel_type").asText() : null)
                .setUserId(message.path("user").asText())
                .setKind(edited ? "edited_message" : "message")
                .setText(ChatWebhooks.cut(text, 4000))
                .setMessageId(message.path("ts").isTextual() ? message.path("ts").asText() : null)
                .setMessageDate(slackTime(message.path("ts").asText(""), now))
                .setReceivedAt(now).build();
    }

    /** A slash command: {@code /order} with {@code latte large} becomes the message {@code /order latte large}. */
    private static ChatEvent command(String app, Map<String, String> form, Instant now) {
        String channel = form.get("channel_id");
        String trigger = form.get("trigger_id");
        if (channel == null || trigger == null) {
            throw ChatWebhooks.invalid("channel_id", "a slash command needs its channel_id and trigger_id");
        }
        String text = (form.get("command") + " " + form.getOrDefault("text", "")).trim();
        return ChatEvent.newBuilder().setPlatform(Channel.SLACK).setBotName(app).setEventId(trigger)
                .setChatId(channel).setChatType(channel.startsWith("D") ? "im" : "channel")
                .setUserId(form.get("user_id")).setUsername(form.get("user_name"))
                .setKind("message").setText(ChatWebhooks.cut(text, 4000))
                .setMessageDate(now).setReceivedAt(now).build();
    }

    /** A button of one of our messages ({@code block_actions}); other interactions are not ours. */
    private static ChatEvent button(String app, JsonNode payload, Instant now) {
        JsonNode action = payload.path("actions").path(0);
        if (!payload.path("type").asText().equals("block_actions") || !action.path("value").isTextual()) {
            return null;
        }
        String channel = payload.path("channel").path("id").asText(payload.path("container").path("channel_id").asText(null));
        if (channel == null || !payload.path("trigger_id").isTextual()) {
            throw ChatWebhooks.invalid("payload", "block_actions needs its channel and trigger_id");
        }
        return ChatEvent.newBuilder().setPlatform(Channel.SLACK).setBotName(app)
                .setEventId(payload.path("trigger_id").asText())
                .setChatId(channel).setChatType(channel.startsWith("D") ? "im" : "channel")
                .setUserId(payload.path("user").path("id").asText(null))
                .setUsername(payload.path("user").path("username").asText(null))
                .setKind("button").setCallbackData(ChatWebhooks.cut(action.path("value").asText(), 2000))
                .setMessageId(payload.path("container").path("message_ts").asText(payload.path("message").path("ts").asText(null)))
                .setMessageDate(now).setReceivedAt(now).build();
    }

    private static JsonNode json(String text) {
        try {
            JsonNode node = Json.mapper().readTree(text);
            if (node == null || !node.isObject()) {
                throw ChatWebhooks.invalid("body", "is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ChatWebhooks.invalid("body", "is not well-formed JSON");
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** Slack's {@code ts}: seconds with microseconds, {@code 1355517523.000005}. */
    private static Instant slackTime(String ts, Instant otherwise) {
        try {
            return Instant.ofEpochMilli(Math.round(Double.parseDouble(ts) * 1000));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}

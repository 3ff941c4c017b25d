package io.brewstream.ingress.bots;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.security.Access;
import io.brewstream.schemas.bots.ChatEvent;
import io.brewstream.schemas.common.Channel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code POST /bots/discord/{appName}}: one Discord application's Interactions Endpoint URL, taking interactions
 * as Discord sends them.
 *
 * <p>Each request is signed with the application's Ed25519 key: {@code X-Signature-Ed25519} (hex) over
 * {@code X-Signature-Timestamp} followed by the raw body, checked against the application's public key (the JDK's
 * own Ed25519). A bad or missing signature is a 401, as Discord itself tests when the URL is set; a timestamp more
 * than five minutes away is refused as a replay, and a replay inside that window repeats the interaction's id,
 * which the bots count once.
 * <ul>
 * <li>PING (type 1): answered with PONG.</li>
 * <li>An application command (type 2), {@code /order} with its options: the message {@code /order latte large},
 * answered with a deferred response (type 5, "thinking"); the reply follows as a follow-up message through the
 * interaction's token, which the event carries.</li>
 * <li>A button (message component, type 3): its {@code custom_id} is the data; answered with a deferred update
 * (type 6).</li>
 * <li>Autocomplete: no choices. A modal submit (the bots open none): said so.</li>
 * </ul>
 * Discord wants the answer within three seconds; it comes once the event is written.
 */
public final class DiscordWebhookRoutes implements HttpRoutes {
    public static final String PATH = "/bots/discord/{appName}";
    public static final String SIGNATURE_HEADER = "X-Signature-Ed25519";
    public static final String TIMESTAMP_HEADER = "X-Signature-Timestamp";
    public static final String KEYS_VARIABLE = "BREWSTREAM_DISCORD_PUBLIC_KEYS";
    static final Duration WINDOW = Duration.ofMinutes(5);
    /** The DER header of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final Map<String, PublicKey> keys;
    private final ChatWebhooks webhooks;
    private final Clock clock;

    /** @param publicKeys each application's public key (64 hex digits, from the developer portal), by app name */
    public DiscordWebhookRoutes(Map<String, String> publicKeys, ChatWebhooks webhooks, Clock clock) {
        Map<String, PublicKey> parsed = new LinkedHashMap<>();
        publicKeys.forEach((app, hex) -> parsed.put(app, publicKey(hex)));
        this.keys = Map.copyOf(parsed);
        this.webhooks = webhooks;
        this.clock = clock;
    }

    /** {@code appName=publicKeyHex,...}. */
    public static Map<String, String> publicKeys(String spec) {
        return ChatWebhooks.pairs(KEYS_VARIABLE, spec, Pattern.compile("[0-9a-fA-F]{64}"), "64 hex digits");
    }

    static PublicKey publicKey(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] der = new byte[ED25519_X509_PREFIX.length + raw.length];
        System.arraycopy(ED25519_X509_PREFIX, 0, der, 0, ED25519_X509_PREFIX.length);
        System.arraycopy(raw, 0, der, ED25519_X509_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(KEYS_VARIABLE + ": not an Ed25519 public key", e);
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::receive, Access.WEBHOOK);
    }

    private void receive(Context ctx) {
        String app = ctx.pathParam("appName");
        PublicKey key = keys.get(app);
        if (key == null) {
            throw ChatWebhooks.noSuchBot(app);
        }
        byte[] body = ctx.bodyAsBytes();
        verify(ctx, app, key, body);
        JsonNode interaction = json(body);
        Instant now = clock.instant();
        switch (interaction.path("type").asInt(0)) {
            case 1 -> webhooks.ignored(ctx, Channel.DISCORD, app, Map.of("type", 1));
            case 2 -> webhooks.publish(ctx, event(app, interaction, now, "message", command(interaction.path("data")), null),
                    Map.of("type", 5));
            case 3 -> {
                String data = interaction.path("data").path("custom_id").asText("");
                webhooks.publish(ctx, event(app, interaction, now, "button", null, ChatWebhooks.cut(data, 100)),
                        Map.of("type", 6));
            }
            case 4 -> webhooks.ignored(ctx, Channel.DISCORD, app, Map.of("type", 8, "data", Map.of("choices", List.of())));
            case 5 -> webhooks.ignored(ctx, Channel.DISCORD, app, Map.of("type", 4, "data",
                    Map.of("content", "This form is not one of ours.", "flags", 64)));
            default -> throw ChatWebhooks.invalid("type", "is not an interaction type Discord documents");
        }
    }

    private void verify(Context ctx, String app, PublicKey key, byte[] body) {
        String timestamp = ctx.header(TIMESTAMP_HEADER);
        String signature = ctx.header(SIGNATURE_HEADER);
        if (timestamp == null || signature == null || !signature.matches("[0-9a-fA-F]{128}")
                || !timestamp.matches("\\d{1,12}")) {
            throw webhooks.unauthorized(Channel.DISCORD, app, "invalid request signature");
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
            verifier.update(body);
            valid = verifier.verify(HexFormat.of().parseHex(signature));
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw webhooks.unauthorized(Channel.DISCORD, app, "invalid request signature");
        }
        if (Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), clock.instant()).abs().compareTo(WINDOW) > 0) {
            throw webhooks.unauthorized(Channel.DISCORD, app, "the request's timestamp is more than five minutes away");
        }
    }

    /** {@code /order} with options {@code text: latte large} (sub-commands flattened): {@code /order latte large}. */
    private static String command(JsonNode data) {
        StringBuilder text = new StringBuilder("/").append(data.path("name").asText());
        appendOptions(data.path("options"), text);
        return ChatWebhooks.cut(text.toString(), 4000);
    }

    private static void appendOptions(JsonNode options, StringBuilder text) {
        for (JsonNode option : options) {
            if (option.has("options")) { // a sub-command or group: its name, then its own options
                text.append(' ').append(option.path("name").asText());
                appendOptions(option.path("options"), text);
            } else if (option.has("value")) {
                text.append(' ').append(option.path("value").asText());
            }
        }
    }

    private static ChatEvent event(String app, JsonNode interaction, Instant now, String kind, String text, String data) {
        String id = interaction.path("id").asText(null);
        String channel = interaction.path("channel_id").asText(interaction.path("channel").path("id").asText(null));
        String token = interaction.path("token").asText(null);
        String application = interaction.path("application_id").asText(null);
        if (id == null || channel == null || token == null || application == null) {
            throw ChatWebhooks.invalid("id", "an interaction needs its id, channel_id, application_id and token");
        }
        // in a server the person is member.user; in a direct message, user
        JsonNode user = interaction.has("member") ? interaction.path("member").path("user") : interaction.path("user");
        return ChatEvent.newBuilder().setPlatform(Channel.DISCORD).setBotName(app).setEventId(id)
                .setChatId(channel).setChatType(interaction.has("guild_id") ? "guild" : "dm")
                .setUserId(user.path("id").asText(null)).setUsername(user.path("username").asText(null))
                .setKind(kind).setText(text).setCallbackData(data)
                .setMessageId(interaction.path("message").path("id").asText(null))
                .setReplyToken(application + "/" + token)
                .setMessageDate(now).setReceivedAt(now).build();
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node == null || !node.isObject()) {
                throw ChatWebhooks.invalid("body", "is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ChatWebhooks.invalid("body", "is not well-formed JSON");
        }
    }
}

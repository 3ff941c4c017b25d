package io.brewstream.ingress.bots;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.bots.ChatLinkCode;
import io.brewstream.schemas.topics.Topics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * One-time codes that link a chat when it sends {@code /start CODE} to a bot (Telegram, Slack or Discord):
 * <ul>
 * <li>{@code POST /api/v1/customers/me/chat-links}: the chat then orders for the calling customer;</li>
 * <li>{@code POST /api/v1/shops/{shopId}/staff-chat-links} (the shop's manager): the chat, typically the shop's
 * staff group, then receives the shop's staff alerts (low stock, orders held for fraud review).</li>
 * </ul>
 * A code is random (10 characters of an alphabet without look-alikes: about 50 bits), expires after
 * {@link #VALID_FOR}, and is used up by the first chat that sends it.
 */
public final class ChatLinkRoutes implements HttpRoutes {
    public static final String PATH = "/api/v1/customers/me/chat-links";
    public static final String STAFF_PATH = "/api/v1/shops/{shopId}/staff-chat-links";
    static final Duration VALID_FOR = Duration.ofMinutes(15);
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final CommandPublisher publisher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ChatLinkRoutes(CommandPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::issue, Role.CUSTOMER);
        routes.post(STAFF_PATH, this::issueStaff, Role.MANAGER);
    }

    private void issue(Context ctx) {
        String customer = Authentication.principal(ctx).customerId().orElseThrow(
                () -> Authentication.forbidden("the token names no customer"));
        issue(ctx, customer, null, "this chat orders for your account");
    }

    private void issueStaff(Context ctx) {
        String shopId = ctx.pathParam("shopId");
        Authentication.requireShop(ctx, shopId, Role.MANAGER);
        issue(ctx, null, shopId, "the chat receives the staff alerts of " + shopId);
    }

    private void issue(Context ctx, String customer, String staffShopId, String effect) {
        char[] code = new char[10];
        for (int i = 0; i < code.length; i++) {
            code[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        Instant now = clock.instant();
        ChatLinkCode link = ChatLinkCode.newBuilder().setCode(new String(code)).setCustomerId(customer)
                .setStaffShopId(staffShopId).setCreatedAt(now).setExpiresAt(now.plus(VALID_FOR)).build();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", link.getCode());
        body.put("expiresAt", link.getExpiresAt());
        body.put("howTo", "send /start " + link.getCode() + " to the shop's bot within " + VALID_FOR.toMinutes()
                + " minutes: " + effect);
        // answered once the code is durable, holding no server thread while the broker acknowledges it
        ctx.future(() -> publisher.publishAsync(Topics.LINK_CODES, link.getCode(), link).handle((written, error) -> {
            if (error != null) {
                io.brewstream.platform.http.HttpService.fail(ctx, error);
            } else {
                ctx.status(201).json(body);
            }
            return null;
        }));
    }
}

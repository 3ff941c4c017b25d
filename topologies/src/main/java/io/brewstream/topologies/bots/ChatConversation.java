package io.brewstream.topologies.bots;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;

import io.brewstream.schemas.bots.ChatLinkCode;
import io.brewstream.schemas.bots.ChatOrder;
import io.brewstream.schemas.bots.ChatOrderState;
import io.brewstream.schemas.bots.ChatSession;
import io.brewstream.schemas.bots.Feedback;
import io.brewstream.schemas.bots.NotificationButton;
import io.brewstream.schemas.bots.OrderDraft;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.bots.TelegramUpdate;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.common.GeoPoint;
import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.orders.CancelOrder;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.rules.PlaceOrderRules;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.reference.Distances;

/**
 * What a chat message, a button press or a change of one of the chat's orders does: the chat's new session and
 * the records to send. Pure: the processor looks things up, stores and forwards.
 *
 * <ul>
 * <li>{@code /start CODE} links the chat to the customer who got the code; an unlinked chat may only browse.</li>
 * <li>{@code /menu [shop]} lists the menu with the shop's current prices.</li>
 * <li>{@code /order TEXT} reads the order ({@link OrderText}), asks for the shop with buttons when needed, and
 * shows it with Confirm and Drop buttons; Confirm places it as an ordinary order command (channel TELEGRAM).</li>
 * <li>{@code /status}, {@code /cancel}, {@code /help}; any other text is feedback on the chat's latest order's
 * shop.</li>
 * <li>Changes of the chat's orders are told to the chat: its total, validated, ready with the pickup code (to this
 * chat only, the one that placed it), rejected with the customer-facing reason, expired, cancelled.</li>
 * </ul>
 */
final class ChatConversation {
    static final int RECENT_UPDATES = 32;
    static final int RECENT_ORDERS = 5;

    /** The reference data a conversation reads. */
    interface Lookups {
        Collection<MenuItem> menu();

        Collection<Shop> shops();

        Optional<Shop> shop(String shopId);

        Optional<PriceChange> currentPrice(String shopId, String menuItemId);

        Optional<ChatLinkCode> linkCode(String code);
    }

    /** The session after, and what to send: records keyed as their topics want them. */
    record Outcome(ChatSession session, List<Keyed> outputs) {
    }

    /** A record and its key. */
    record Keyed(String key, SpecificRecord value) {
    }

    private final Lookups lookups;

    ChatConversation(Lookups lookups) {
        this.lookups = lookups;
    }

    static ChatSession newSession(TelegramUpdate update, Instant now) {
        return ChatSession.newBuilder().setChatKey(Keys.chat(update.getBotName(), update.getChatId()))
                .setBotName(update.getBotName()).setChatId(update.getChatId()).setUpdatedAt(now).build();
    }

    Outcome onUpdate(ChatSession current, TelegramUpdate update, Instant now) {
        if (current.getRecentUpdateIds().contains(update.getUpdateId())) {
            return new Outcome(current, List.of()); // Telegram delivered it again
        }
        ChatSession session = ChatSession.newBuilder(current).setUpdatedAt(now).build();
        List<Long> seen = new ArrayList<>(current.getRecentUpdateIds());
        seen.add(update.getUpdateId());
        session.setRecentUpdateIds(seen.subList(Math.max(0, seen.size() - RECENT_UPDATES), seen.size()));
        Reply reply = new Reply(session, update, now);
        if ("callback_query".equals(update.getKind())) {
            onButton(session, update.getCallbackData() == null ? "" : update.getCallbackData(), reply, now);
        } else if (update.getLocation() != null && update.getText() == null) {
            located(session, update.getLocation(), reply);
        } else {
            String text = update.getText() == null ? "" : update.getText().trim();
            boolean edited = "edited_message".equals(update.getKind());
            if (edited && !text.startsWith("/order")) {
                return new Outcome(session, List.of()); // an edited chat line changes nothing already done
            }
            onText(session, text, reply, now);
        }
        return new Outcome(session, reply.outputs);
    }

    // ---- text

    private void onText(ChatSession session, String text, Reply reply, Instant now) {
        if (!text.startsWith("/")) {
            feedback(session, text, reply, now);
            return;
        }
        String[] parts = text.split("\\s+", 2);
        String command = parts[0].toLowerCase(Locale.ROOT).replaceFirst("@.*$", "");
        String argument = parts.length > 1 ? parts[1].trim() : "";
        switch (command) {
            case "/start" -> start(session, argument, reply, now);
            case "/help" -> reply.say(HELP);
            case "/menu" -> menu(session, argument, reply);
            case "/order" -> order(session, argument, reply, now);
            case "/status" -> status(session, reply);
            case "/cancel" -> cancel(session, reply, now);
            default -> reply.say("I do not know " + command + ". " + HELP);
        }
    }

    static final String HELP = "Commands: /menu [shop], /order latte large oat x2 at berlin-mitte, /status, /cancel,"
            + " /help. Anything else you write goes to the shop as feedback.";

    private void start(ChatSession session, String code, Reply reply, Instant now) {
        if (code.isEmpty()) {
            reply.say("Welcome! To order, link this chat to your account: in the app, ask for a chat link code and"
                    + " send /start CODE here. You can browse the /menu right away. " + HELP);
            return;
        }
        Optional<ChatLinkCode> link = lookups.linkCode(code.toUpperCase(Locale.ROOT));
        if (link.isEmpty() || !link.get().getExpiresAt().isAfter(now)) {
            reply.say("That code is unknown, used or expired; ask the app for a new one.");
            return;
        }
        session.setCustomerId(link.get().getCustomerId());
        // the code is spent: it now expires at the moment it was used
        reply.send(link.get().getCode(), ChatLinkCode.newBuilder(link.get()).setExpiresAt(now).build());
        reply.say("This chat now orders for your account. " + HELP);
    }

    /** A shared location: the nearest open shop is the chat's shop from now on, until it orders elsewhere. */
    private void located(ChatSession session, GeoPoint location, Reply reply) {
        session.setLocation(location);
        Optional<Shop> nearest = nearest(location);
        if (nearest.isEmpty()) {
            reply.say("Thanks. No shop is open right now.");
            return;
        }
        session.setLastShopId(nearest.get().getShopId());
        reply.say(String.format(Locale.ROOT, "The nearest shop is %s, %s (%.1f km). /menu shows its prices; /order"
                + " without \"at\" orders there.", nearest.get().getName(), nearest.get().getAddress(),
                Distances.kilometres(location, nearest.get().getLocation())));
    }

    private Optional<Shop> nearest(GeoPoint location) {
        return lookups.shops().stream().filter(Shop::getOpen)
                .min(java.util.Comparator.comparingDouble(s -> Distances.kilometres(location, s.getLocation())));
    }

    private void menu(ChatSession session, String shopText, Reply reply) {
        Optional<Shop> shop = shopText.isEmpty()
                ? Optional.ofNullable(session.getLastShopId()).flatMap(this::shop)
                        .or(() -> Optional.ofNullable(session.getLocation()).flatMap(this::nearest))
                : OrderText.shopNamed(shopText, lookups.shops());
        String lines = lookups.menu().stream().filter(MenuItem::getAvailable)
                .sorted((a, b) -> a.getMenuItemId().compareTo(b.getMenuItemId()))
                .map(item -> "• " + item.getName() + " (" + item.getMenuItemId() + ") " + money(shop
                        .flatMap(s -> lookups.currentPrice(s.getShopId(), item.getMenuItemId()).map(PriceChange::getNewPrice))
                        .orElse(item.getBasePrice()))
                        + (item.getOptions().isEmpty() ? "" : "; options " + String.join(", ", item.getOptions())))
                .collect(Collectors.joining("\n"));
        reply.say((shop.map(s -> "Menu at " + s.getName() + ":\n").orElse("Menu (base prices; /menu SHOP for a shop's): \n"))
                + lines + "\nShops: " + lookups.shops().stream().map(Shop::getShopId).sorted().collect(Collectors.joining(", ")));
    }

    private void order(ChatSession session, String text, Reply reply, Instant now) {
        if (session.getCustomerId() == null) {
            reply.say("Link this chat to your account first: /start CODE (the app gives you the code).");
            return;
        }
        OrderText.Parsed parsed = OrderText.parse(text, lookups.menu(), lookups.shops());
        if (!parsed.problems().isEmpty()) {
            reply.say("I could not read that order: " + String.join("; ", parsed.problems()) + ".");
            return;
        }
        String shopId = parsed.shopId().orElse(parsed.shopChoices().isEmpty() ? session.getLastShopId() : null);
        OrderDraft draft = OrderDraft.newBuilder().setDraftId(UUID.randomUUID().toString().substring(0, 8))
                .setShopId(shopId).setLines(parsed.lines()).setCreatedAt(now).build();
        session.setDraft(draft);
        if (shopId == null) {
            List<String> choices = new ArrayList<>(parsed.shopChoices().isEmpty()
                    ? lookups.shops().stream().filter(Shop::getOpen).map(Shop::getShopId).sorted().toList()
                    : parsed.shopChoices());
            if (session.getLocation() != null) { // nearest first
                choices.sort(java.util.Comparator.comparingDouble(id -> shop(id)
                        .map(s -> Distances.kilometres(session.getLocation(), s.getLocation())).orElse(Double.MAX_VALUE)));
            }
            reply.ask("Which shop? " + summary(draft.getLines()), choices.stream()
                    .map(id -> button(shop(id).map(Shop::getName).orElse(id), "shop:" + id + ":" + draft.getDraftId()))
                    .toList());
            return;
        }
        confirmation(draft, reply);
    }

    private void confirmation(OrderDraft draft, Reply reply) {
        String shopName = shop(draft.getShopId()).map(Shop::getName).orElse(draft.getShopId());
        reply.ask(summary(draft.getLines()) + " at " + shopName + ". Priced by the shop when you confirm.",
                List.of(button("Confirm", "confirm:" + draft.getDraftId()), button("Drop", "drop:" + draft.getDraftId())));
    }

    private void status(ChatSession session, Reply reply) {
        if (session.getRecentOrders().isEmpty()) {
            reply.say(session.getCustomerId() == null ? "Link this chat first: /start CODE." : "No orders from this chat yet.");
            return;
        }
        reply.say(session.getRecentOrders().stream()
                .map(o -> "• " + o.getSummary() + " at " + o.getShopId() + ": " + o.getStatus().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("\n")));
    }

    private void cancel(ChatSession session, Reply reply, Instant now) {
        Optional<ChatOrderState> open = session.getRecentOrders().stream()
                .filter(o -> OPEN.contains(o.getStatus())).findFirst();
        if (session.getCustomerId() == null || open.isEmpty()) {
            reply.say("There is no open order from this chat to cancel.");
            return;
        }
        reply.send(open.get().getOrderId(), command(open.get().getOrderId(), CancelOrder.newBuilder()
                .setReason("cancelled in the chat").setRequestedBy("customer " + session.getCustomerId() + " via telegram")
                .build(), now));
        reply.say("Cancelling " + open.get().getSummary() + "; I will confirm.");
    }

    private static final List<String> OPEN = List.of("PLACED", "PRICED", "VALIDATED", "IN_PREPARATION");

    private void feedback(ChatSession session, String text, Reply reply, Instant now) {
        Optional<ChatOrderState> latest = session.getRecentOrders().stream().findFirst();
        String shopId = latest.map(ChatOrderState::getShopId).orElse(session.getLastShopId());
        if (text.isEmpty() || shopId == null) {
            reply.say(HELP);
            return;
        }
        Feedback feedback = Feedback.newBuilder().setFeedbackId(reply.id("feedback")).setShopId(shopId)
                .setCustomerId(session.getCustomerId()).setOrderId(latest.map(ChatOrderState::getOrderId).orElse(null))
                .setText(text.length() > 2000 ? text.substring(0, 2000) : text).setChannel(Channel.TELEGRAM)
                .setReceivedAt(now).build();
        reply.send(shopId, feedback);
        reply.say("Thank you, " + shop(shopId).map(Shop::getName).orElse(shopId) + " will read it.");
    }

    // ---- buttons

    private void onButton(ChatSession session, String data, Reply reply, Instant now) {
        String[] parts = data.split(":");
        OrderDraft draft = session.getDraft();
        String draftId = parts[parts.length - 1];
        if (draft == null || !draft.getDraftId().equals(draftId)) {
            reply.answer("That order is gone; /order again.");
            return;
        }
        switch (parts[0]) {
            case "shop" -> {
                // shop:<shop id>:<draft id>; a shop id may hold colons itself
                String shopId = data.substring("shop:".length(), Math.max("shop:".length(), data.lastIndexOf(':')));
                if (shop(shopId).isEmpty()) {
                    reply.answer("Unknown shop.");
                    return;
                }
                draft.setShopId(shopId);
                reply.answer("Shop: " + shopId);
                confirmation(draft, reply);
            }
            case "confirm" -> place(session, draft, reply, now);
            case "drop" -> {
                session.setDraft(null);
                reply.answer("Dropped.");
                reply.say("Dropped. /order when you are ready.");
            }
            default -> reply.answer("Unknown button.");
        }
    }

    private void place(ChatSession session, OrderDraft draft, Reply reply, Instant now) {
        if (session.getCustomerId() == null || draft.getShopId() == null) {
            reply.answer("Link this chat and pick a shop first.");
            return;
        }
        String orderId = OrderIds.forRequest(draft.getShopId(), session.getCustomerId(),
                "telegram:" + session.getChatKey() + ":" + draft.getDraftId());
        PlaceOrder place = PlaceOrder.newBuilder().setShopId(draft.getShopId()).setCustomerId(session.getCustomerId())
                .setLines(draft.getLines()).setIdempotencyKey("telegram:" + draft.getDraftId())
                .setRequestFingerprint("telegram:" + session.getChatKey() + ":" + draft.getDraftId())
                .setDeviceId("telegram:" + session.getChatKey()).build();
        List<PlaceOrderRules.Violation> broken = PlaceOrderRules.check(place);
        if (!broken.isEmpty()) {
            // the rules the HTTP ingress applies: a chat order is held to them too
            reply.answer("Not placed.");
            reply.say("I cannot place that order: " + broken.stream().map(v -> v.field() + " " + v.message())
                    .collect(Collectors.joining("; ")) + ".");
            return;
        }
        reply.send(orderId, ChatOrder.newBuilder().setOrderId(orderId).setChatKey(session.getChatKey())
                .setCustomerId(session.getCustomerId()).setPlacedAt(now).build());
        reply.send(orderId, command(orderId, place, now));
        List<ChatOrderState> recent = new ArrayList<>();
        recent.add(ChatOrderState.newBuilder().setOrderId(orderId).setShopId(draft.getShopId()).setStatus("PLACED")
                .setSummary(summary(draft.getLines())).setUpdatedAt(now).build());
        recent.addAll(session.getRecentOrders());
        session.setRecentOrders(recent.subList(0, Math.min(RECENT_ORDERS, recent.size())));
        session.setLastShopId(draft.getShopId());
        session.setDraft(null);
        reply.answer("Ordered.");
        reply.say("Ordered: " + summary(draft.getLines()) + ". I will tell you the total, and when it is ready.");
    }

    // ---- the chat's orders

    Outcome onOrderEvent(ChatSession current, OrderEvent event, Instant now) {
        Order order = event.getOrder();
        Optional<ChatOrderState> known = current.getRecentOrders().stream()
                .filter(o -> o.getOrderId().equals(event.getOrderId())).findFirst();
        if (order == null || known.isEmpty()) {
            return new Outcome(current, List.of());
        }
        ChatSession session = ChatSession.newBuilder(current).setUpdatedAt(now).build();
        String before = known.get().getStatus();
        String after = before;
        String text = null;
        if (event.getKind() == OrderEventKind.REFUSED) {
            text = "About " + known.get().getSummary() + ": " + String.join("; ", event.getReasons());
        } else if (order.getStatus() == OrderStatus.PLACED && order.getTotal() != null && before.equals("PLACED")) {
            after = "PRICED";
            text = "Your total for " + known.get().getSummary() + " is " + money(order.getTotal())
                    + (order.getPendingChecks().contains(CheckType.PAYMENT) ? "; pay at the counter." : ".");
        } else if (order.getStatus() != OrderStatus.PLACED && !order.getStatus().name().equals(before)) {
            after = order.getStatus().name();
            text = switch (order.getStatus()) {
                case VALIDATED -> "Paid and confirmed: " + known.get().getSummary() + ". We are on it.";
                case IN_PREPARATION -> null;
                case READY -> "Ready at " + shop(order.getShopId()).map(Shop::getName).orElse(order.getShopId())
                        + "! Your pickup code is " + order.getPickupCode() + ".";
                case PICKED_UP -> "Enjoy!";
                case REJECTED -> "Sorry, we could not take " + known.get().getSummary() + ": "
                        + String.join("; ", order.getReasons())
                        + (order.getSuggestedShopId() == null ? "" : ". " + order.getSuggestedShopId() + " could serve it");
                case CANCELLED -> "Cancelled: " + known.get().getSummary() + ".";
                case EXPIRED -> "Your order " + known.get().getSummary() + " expired unpaid.";
                default -> null;
            };
        }
        String status = after;
        session.setRecentOrders(current.getRecentOrders().stream().map(o -> o.getOrderId().equals(event.getOrderId())
                ? ChatOrderState.newBuilder(o).setStatus(status).setUpdatedAt(now).build() : o).toList());
        List<Keyed> outputs = new ArrayList<>();
        if (text != null) {
            outputs.add(new Keyed(session.getChatKey(), notification("order:" + event.getEventId(), session, text,
                    event.getOrderId(), List.of(), null, now)));
        }
        return new Outcome(session, outputs);
    }

    // ---- helpers

    private Optional<Shop> shop(String shopId) {
        return shopId == null ? Optional.empty() : lookups.shop(shopId);
    }

    private static OrderCommand command(String orderId, Object body, Instant now) {
        return OrderCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setOrderId(orderId)
                .setChannel(Channel.TELEGRAM).setIssuedAt(now).setCommand(body).build();
    }

    static String summary(List<OrderLine> lines) {
        return lines.stream().map(l -> l.getQuantity() + "x " + l.getMenuItemId()
                + (l.getSize() == null || l.getSize().name().equals("MEDIUM") ? "" : " " + l.getSize().name().toLowerCase(Locale.ROOT))
                + (l.getOptions().isEmpty() ? "" : " " + String.join(" ", l.getOptions())))
                .collect(Collectors.joining(", "));
    }

    private static String money(Money money) {
        return String.format(Locale.ROOT, "%d.%02d %s", money.getAmountMinor() / 100, Math.abs(money.getAmountMinor() % 100),
                money.getCurrency());
    }

    private static NotificationButton button(String text, String data) {
        return NotificationButton.newBuilder().setText(text).setData(data).build();
    }

    static OutboundNotification notification(String id, ChatSession session, String text, String orderId,
            List<NotificationButton> buttons, String callbackQueryId, Instant now) {
        return OutboundNotification.newBuilder().setNotificationId(id).setChannel(Channel.TELEGRAM)
                .setRecipient(session.getChatKey()).setBotName(session.getBotName()).setText(text).setOrderId(orderId)
                .setButtons(buttons).setCallbackQueryId(callbackQueryId).setCreatedAt(now).build();
    }

    /** The answers to one update: ids derived from the update, so a replay would send nothing new. */
    private static final class Reply {
        final List<Keyed> outputs = new ArrayList<>();
        private final ChatSession session;
        private final TelegramUpdate update;
        private final Instant now;
        private int count;
        private String pendingAnswer;

        Reply(ChatSession session, TelegramUpdate update, Instant now) {
            this.session = session;
            this.update = update;
            this.now = now;
        }

        String id(String what) {
            return "tg:" + session.getChatKey() + ":" + update.getUpdateId() + ":" + what + ":" + (++count);
        }

        void say(String text) {
            ask(text, List.of());
        }

        void ask(String text, List<NotificationButton> buttons) {
            outputs.add(new Keyed(session.getChatKey(), notification(id("reply"), session, text, null, buttons,
                    takeAnswer(), now)));
        }

        /** A callback's answer travels with the next message, or alone. */
        void answer(String text) {
            pendingAnswer = update.getCallbackQueryId();
            if (pendingAnswer != null && text != null) {
                outputs.add(new Keyed(session.getChatKey(), notification(id("answer"), session, "", null, List.of(),
                        takeAnswer(), now)));
            }
        }

        private String takeAnswer() {
            String answer = pendingAnswer;
            pendingAnswer = null;
            return answer;
        }

        void send(String key, SpecificRecord value) {
            outputs.add(new Keyed(key, value));
        }
    }
}

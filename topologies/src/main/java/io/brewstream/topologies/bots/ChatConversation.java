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
import io.brewstream.schemas.agents.AnswerCodes;
import io.brewstream.schemas.agents.TaskReply;
import io.brewstream.schemas.bots.ChatQuestion;
import io.brewstream.schemas.bots.Feedback;
import io.brewstream.schemas.bots.NotificationButton;
import io.brewstream.schemas.bots.OrderDraft;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.bots.ChatEvent;
import io.brewstream.schemas.bots.StaffChat;
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
 * the records to send. Pure: the processor looks things up, stores and forwards. The same for Telegram, Slack and
 * Discord: a chat event is one record whatever its platform, and replies go back through the chat's platform.
 *
 * <ul>
 * <li>{@code /start CODE} links the chat to the customer who got the code; an unlinked chat may only browse. A
 * staff code makes the chat one of its shop's staff chats (alerts), until {@code /stop}.</li>
 * <li>{@code /menu [shop]} lists the menu with the shop's current prices.</li>
 * <li>{@code /order TEXT} reads the order ({@link OrderText}), asks for the shop with buttons when needed, and
 * shows it with Confirm and Drop buttons; Confirm places it as an ordinary order command (channel TELEGRAM, SLACK or
 * DISCORD), held to the HTTP ingress's rules; the pressed message is edited to say what became of it.</li>
 * <li>{@code /status}, {@code /cancel}, {@code /help}; any other text is feedback on the chat's latest order's
 * shop.</li>
 * <li>Changes of the chat's orders are told to the chat: its total, validated, ready with the pickup code (to this
 * chat only, the one that placed it), rejected with the customer-facing reason, expired, cancelled.</li>
 * </ul>
 */
final class ChatConversation {
    static final int RECENT_EVENTS = 32;
    /** Discord accepts follow-ups to an interaction for 15 minutes; a margin for the sender's queue. */
    static final java.time.Duration REPLY_TOKEN_VALID = java.time.Duration.ofMinutes(14);
    static final int RECENT_ORDERS = 5;

    /** The reference data a conversation reads. */
    interface Lookups {
        Collection<MenuItem> menu();

        Collection<Shop> shops();

        Optional<Shop> shop(String shopId);

        Optional<PriceChange> currentPrice(String shopId, String menuItemId);

        Optional<ChatLinkCode> linkCode(String code);
    }

    /** The session after, what to send (records keyed as their topics want them), and what to count. */
    record Outcome(ChatSession session, List<Keyed> outputs, List<Count> counts) {
        static Outcome nothing(ChatSession session) {
            return new Outcome(session, List.of(), List.of());
        }
    }

    /** One thing that happened in a chat, for the bots' metrics: a command (by name), a button, an order placed. */
    record Count(String what, String label) {
        static final String COMMAND = "command";
        static final String ORDER_PLACED = "order-placed";

        /** Everything the conversation counts: each command, "other", a question, feedback, a button, an order. */
        static List<Count> all() {
            List<Count> all = new java.util.ArrayList<>();
            COMMANDS.forEach(command -> all.add(new Count(COMMAND, command)));
            List.of("other", "question", "feedback", "button").forEach(label -> all.add(new Count(COMMAND, label)));
            all.add(new Count(ORDER_PLACED, ""));
            return all;
        }
    }

    /** The chat platforms a conversation runs on. */
    static final List<io.brewstream.schemas.common.Channel> PLATFORMS = List.of(io.brewstream.schemas.common.Channel.TELEGRAM,
            io.brewstream.schemas.common.Channel.SLACK, io.brewstream.schemas.common.Channel.DISCORD);

    /** The commands the conversation knows; anything else is counted as "other", so labels stay few. */
    static final List<String> COMMANDS = List.of("/start", "/stop", "/help", "/menu", "/order", "/status", "/cancel",
            "/ask", "/answer");

    /** A record and its key. */
    record Keyed(String key, SpecificRecord value) {
    }

    private final Lookups lookups;

    ChatConversation(Lookups lookups) {
        this.lookups = lookups;
    }

    static ChatSession newSession(ChatEvent event, Instant now) {
        return ChatSession.newBuilder()
                .setChatKey(Keys.chat(event.getPlatform(), event.getBotName(), event.getChatId()))
                .setPlatform(event.getPlatform()).setBotName(event.getBotName()).setChat(event.getChatId())
                .setChatType(event.getChatType()).setUpdatedAt(now).build();
    }

    Outcome onEvent(ChatSession current, ChatEvent update, Instant now) {
        if (current.getRecentEventIds().contains(update.getEventId())) {
            return Outcome.nothing(current); // the platform delivered it again
        }
        ChatSession session = ChatSession.newBuilder(current).setUpdatedAt(now).build();
        List<String> seen = new ArrayList<>(current.getRecentEventIds());
        seen.add(update.getEventId());
        session.setRecentEventIds(seen.subList(Math.max(0, seen.size() - RECENT_EVENTS), seen.size()));
        if (update.getReplyToken() != null) {
            session.setReplyToken(update.getReplyToken());
            session.setReplyTokenAt(now);
        }
        Reply reply = new Reply(session, update, now);
        if ("button".equals(update.getKind())) {
            onButton(session, update.getCallbackData() == null ? "" : update.getCallbackData(), reply, now);
        } else if (update.getLocation() != null && update.getText() == null) {
            located(session, update.getLocation(), reply);
        } else {
            String text = update.getText() == null ? "" : update.getText().trim();
            boolean edited = "edited_message".equals(update.getKind());
            if (edited && !text.startsWith("/order")) {
                return Outcome.nothing(session); // an edited chat line changes nothing already done
            }
            onText(session, text, reply, now);
        }
        return new Outcome(session, reply.outputs, reply.counts);
    }

    // ---- text

    private void onText(ChatSession session, String text, Reply reply, Instant now) {
        if (!text.startsWith("/")) {
            if (text.endsWith("?")) {
                reply.count(Count.COMMAND, "question");
                question(session, text, reply, now);
                return;
            }
            reply.count(Count.COMMAND, "feedback");
            feedback(session, text, reply, now);
            return;
        }
        String[] parts = text.split("\\s+", 2);
        String command = parts[0].toLowerCase(Locale.ROOT).replaceFirst("@.*$", "");
        String argument = parts.length > 1 ? parts[1].trim() : "";
        reply.count(Count.COMMAND, COMMANDS.contains(command) ? command : "other");
        switch (command) {
            case "/start" -> start(session, argument, reply, now);
            case "/stop" -> stop(session, reply, now);
            case "/help" -> reply.say(HELP);
            case "/menu" -> menu(session, argument, reply);
            case "/order" -> order(session, argument, reply, now);
            case "/status" -> status(session, reply);
            case "/cancel" -> cancel(session, reply, now);
            case "/ask" -> question(session, argument, reply, now);
            case "/answer" -> answer(session, argument, reply, now);
            default -> reply.say("I do not know " + command + ". " + HELP);
        }
    }

    static final String HELP = "Commands: /menu [shop], /order latte large oat x2 at berlin-mitte, /status, /cancel,"
            + " /ask QUESTION, /stop, /help. A line ending in a question mark is a question for the shop's assistant;"
            + " anything else you write goes to the shop as feedback.";

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
        // the code is spent: it now expires at the moment it was used
        reply.send(link.get().getCode(), ChatLinkCode.newBuilder(link.get()).setExpiresAt(now).build());
        String staffShop = link.get().getStaffShopId();
        if (staffShop != null) {
            session.setStaffShopId(staffShop);
            reply.send(Keys.staffChat(staffShop, session.getChatKey()), staffChat(session, staffShop, true, now));
            reply.say("This chat now receives the staff alerts of " + shop(staffShop).map(Shop::getName).orElse(staffShop)
                    + ": low stock and orders held for review. /stop ends them.");
            return;
        }
        session.setCustomerId(link.get().getCustomerId());
        reply.say("This chat now orders for your account. " + HELP);
    }

    /** Unlinks the chat: it stops ordering for its customer and stops receiving staff alerts. */
    private void stop(ChatSession session, Reply reply, Instant now) {
        if (session.getCustomerId() == null && session.getStaffShopId() == null) {
            reply.say("This chat is not linked to anything.");
            return;
        }
        if (session.getStaffShopId() != null) {
            reply.send(Keys.staffChat(session.getStaffShopId(), session.getChatKey()),
                    staffChat(session, session.getStaffShopId(), false, now));
            session.setStaffShopId(null);
        }
        session.setCustomerId(null);
        session.setDraft(null);
        reply.say("Unlinked. This chat may still browse the /menu; /start CODE links it again.");
    }

    private static StaffChat staffChat(ChatSession session, String shopId, boolean active, Instant now) {
        return StaffChat.newBuilder().setShopId(shopId).setChatKey(session.getChatKey()).setPlatform(session.getPlatform())
                .setBotName(session.getBotName()).setLinkedAt(now).setActive(active).build();
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
            List<String> offered = choices.subList(0, Math.min(MAX_SHOP_BUTTONS, choices.size()));
            draft.setShopChoices(List.copyOf(offered));
            List<NotificationButton> buttons = new ArrayList<>();
            for (int i = 0; i < offered.size(); i++) {
                String id = offered.get(i);
                buttons.add(button(shop(id).map(Shop::getName).orElse(id), "shop:" + i + ":" + draft.getDraftId()));
            }
            reply.ask("Which shop? " + summary(draft.getLines()), buttons);
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
                .setReason("cancelled in the chat").setRequestedBy("customer " + session.getCustomerId() + " via "
                        + platform(session)).build(), session, now));
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
                .setText(text.length() > 2000 ? text.substring(0, 2000) : text).setChannel(session.getPlatform())
                .setReceivedAt(now).build();
        reply.send(shopId, feedback);
        reply.say("Thank you, " + shop(shopId).map(Shop::getName).orElse(shopId) + " will read it.");
    }

    /**
     * A question for the shop's assistant agent: the shop named in it, else the chat's latest order's, else the last
     * one it ordered from or asked about. The agent answers in this chat.
     */
    private void question(ChatSession session, String text, Reply reply, Instant now) {
        if (text.isEmpty()) {
            reply.say("Ask me anything about a shop: /ask do you have oat milk at berlin-mitte?");
            return;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        Optional<String> shopId = lookups.shops().stream()
                .filter(s -> lower.contains(s.getShopId().toLowerCase(Locale.ROOT))
                        || lower.contains(s.getName().toLowerCase(Locale.ROOT)))
                .map(Shop::getShopId).findFirst()
                .or(() -> session.getRecentOrders().stream().findFirst().map(ChatOrderState::getShopId))
                .or(() -> Optional.ofNullable(session.getLastShopId()));
        if (shopId.isEmpty()) {
            reply.say("Which shop is it about? Name it in the question, e.g. /ask is berlin-mitte open now? (shops: "
                    + lookups.shops().stream().map(Shop::getShopId).sorted().collect(Collectors.joining(", ")) + ")");
            return;
        }
        session.setLastShopId(shopId.get()); // a follow-up question, or an order, is about the same shop
        reply.send(shopId.get(), ChatQuestion.newBuilder().setQuestionId(reply.id("question"))
                .setShopId(shopId.get()).setChatKey(session.getChatKey()).setPlatform(session.getPlatform())
                .setBotName(session.getBotName()).setCustomerId(session.getCustomerId())
                .setText(text.length() > 1000 ? text.substring(0, 1000) : text).setAskedAt(now).build());
        reply.say("Let me find out for you…");
    }

    /**
     * A staff chat answers an agent's question ({@code /answer CODE text}); the router takes it only for a question
     * of this chat's shop that still waits, so an unknown or foreign code changes nothing.
     */
    private void answer(ChatSession session, String argument, Reply reply, Instant now) {
        if (session.getStaffShopId() == null) {
            reply.say("Only a shop's staff chat answers its agents' questions (link it with a staff code: /start CODE).");
            return;
        }
        String[] parts = argument.split("\\s+", 2);
        if (parts.length < 2 || parts[0].length() != AnswerCodes.LENGTH || parts[1].isBlank()) {
            reply.say("Answer with the question's code and your answer: /answer K7QF2M yes");
            return;
        }
        String code = AnswerCodes.normalize(parts[0]);
        reply.send(code, TaskReply.newBuilder().setReplyId(reply.id("task-reply")).setAnswerCode(code)
                .setText(parts[1].trim()).setShopId(session.getStaffShopId())
                .setAuthor("staff chat " + session.getChatKey()).setRepliedAt(now).build());
        reply.say("Thanks, I passed your answer to " + code + " on.");
    }

    // ---- buttons

    private void onButton(ChatSession session, String data, Reply reply, Instant now) {
        String[] parts = data.split(":");
        reply.count(Count.COMMAND, "button");
        OrderDraft draft = session.getDraft();
        String draftId = parts[parts.length - 1];
        if (draft == null || !draft.getDraftId().equals(draftId)) {
            reply.answer("That order is gone; /order again.");
            return;
        }
        switch (parts[0]) {
            case "shop" -> {
                // shop:<position among the offered shops>:<draft id>
                int position = parts.length == 3 && parts[1].matches("\\d{1,2}") ? Integer.parseInt(parts[1]) : -1;
                String shopId = position >= 0 && position < draft.getShopChoices().size()
                        ? draft.getShopChoices().get(position) : null;
                if (shopId == null || shop(shopId).isEmpty()) {
                    reply.answer("Unknown shop.");
                    return;
                }
                draft.setShopId(shopId);
                reply.answer("Shop: " + shopId);
                reply.edit("Which shop? " + summary(draft.getLines()) + " → " + shop(shopId).map(Shop::getName).orElse(shopId));
                confirmation(draft, reply);
            }
            case "confirm" -> place(session, draft, reply, now);
            case "drop" -> {
                session.setDraft(null);
                reply.answer("Dropped.");
                reply.edit("Dropped: " + summary(draft.getLines()) + ". /order when you are ready.");
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
                "chat:" + session.getChatKey() + ":" + draft.getDraftId());
        PlaceOrder place = PlaceOrder.newBuilder().setShopId(draft.getShopId()).setCustomerId(session.getCustomerId())
                .setLines(draft.getLines()).setIdempotencyKey(platform(session) + ":" + draft.getDraftId())
                .setRequestFingerprint("chat:" + session.getChatKey() + ":" + draft.getDraftId())
                .setDeviceId("chat:" + session.getChatKey()).build();
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
        reply.send(orderId, command(orderId, place, session, now));
        List<ChatOrderState> recent = new ArrayList<>();
        recent.add(ChatOrderState.newBuilder().setOrderId(orderId).setShopId(draft.getShopId()).setStatus("PLACED")
                .setSummary(summary(draft.getLines())).setUpdatedAt(now).build());
        recent.addAll(session.getRecentOrders());
        session.setRecentOrders(recent.subList(0, Math.min(RECENT_ORDERS, recent.size())));
        session.setLastShopId(draft.getShopId());
        session.setDraft(null);
        reply.count(Count.ORDER_PLACED, "");
        reply.answer("Ordered.");
        reply.edit("Ordered: " + summary(draft.getLines()) + " at " + shop(draft.getShopId()).map(Shop::getName)
                .orElse(draft.getShopId()) + ". I will tell you the total, and when it is ready.");
    }

    // ---- the chat's orders

    Outcome onOrderEvent(ChatSession current, OrderEvent event, Instant now) {
        Order order = event.getOrder();
        Optional<ChatOrderState> known = current.getRecentOrders().stream()
                .filter(o -> o.getOrderId().equals(event.getOrderId())).findFirst();
        if (order == null || known.isEmpty()) {
            return Outcome.nothing(current);
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
                    event.getOrderId(), List.of(), null, now).setReplyToken(freshReplyToken(session, now)).build()));
        }
        return new Outcome(session, outputs, List.of());
    }

    // ---- helpers

    private Optional<Shop> shop(String shopId) {
        return shopId == null ? Optional.empty() : lookups.shop(shopId);
    }

    private static OrderCommand command(String orderId, Object body, ChatSession session, Instant now) {
        return OrderCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setOrderId(orderId)
                .setChannel(session.getPlatform()).setIssuedAt(now).setCommand(body).build();
    }

    private static String platform(ChatSession session) {
        return session.getPlatform().name().toLowerCase(Locale.ROOT);
    }

    /** The chat's latest Discord interaction token while follow-ups to it are accepted; after that, the bot posts. */
    private static String freshReplyToken(ChatSession session, Instant now) {
        return session.getReplyToken() != null && session.getReplyTokenAt() != null
                && session.getReplyTokenAt().plus(REPLY_TOKEN_VALID).isAfter(now) ? session.getReplyToken() : null;
    }

    static final int MAX_SHOP_BUTTONS = 10;

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

    static OutboundNotification.Builder notification(String id, ChatSession session, String text, String orderId,
            List<NotificationButton> buttons, String callbackQueryId, Instant now) {
        return OutboundNotification.newBuilder().setNotificationId(id).setChannel(session.getPlatform())
                .setRecipient(session.getChatKey()).setBotName(session.getBotName()).setText(text).setOrderId(orderId)
                .setButtons(buttons).setCallbackQueryId(callbackQueryId).setCreatedAt(now);
    }

    /** The answers to one event: ids derived from the event, so a replay would send nothing new. */
    private static final class Reply {
        final List<Keyed> outputs = new ArrayList<>();
        final List<Count> counts = new ArrayList<>();
        private final ChatSession session;
        private final ChatEvent update;
        private final Instant now;
        private int count;
        private String pendingAnswer;

        Reply(ChatSession session, ChatEvent update, Instant now) {
            this.session = session;
            this.update = update;
            this.now = now;
        }

        String id(String what) {
            return session.getChatKey() + ":" + update.getEventId() + ":" + what + ":" + (++count);
        }

        void say(String text) {
            ask(text, List.of());
        }

        void ask(String text, List<NotificationButton> buttons) {
            outputs.add(new Keyed(session.getChatKey(), notification(id("reply"), session, text, null, buttons,
                    takeAnswer(), now).setReplyToken(update.getReplyToken()).build()));
        }

        /**
         * The pressed message itself changes to the text, its buttons gone, so it cannot be pressed again (Telegram
         * editMessageText, Slack chat.update, Discord's edit of the original message).
         */
        void edit(String text) {
            if (update.getMessageId() == null) {
                say(text);
                return;
            }
            outputs.add(new Keyed(session.getChatKey(), notification(id("edit"), session, text, null, List.of(),
                    takeAnswer(), now).setReplyToken(update.getReplyToken()).setEditMessageId(update.getMessageId())
                    .build()));
        }

        /** A callback's answer travels with the next message, or alone. */
        void answer(String text) {
            pendingAnswer = update.getCallbackId();
            if (pendingAnswer != null && text != null) {
                outputs.add(new Keyed(session.getChatKey(), notification(id("answer"), session, "", null, List.of(),
                        takeAnswer(), now).setReplyToken(update.getReplyToken()).build()));
            }
        }

        private String takeAnswer() {
            String answer = pendingAnswer;
            pendingAnswer = null;
            return answer;
        }

        void count(String what, String label) {
            counts.add(new Count(what, label));
        }

        void send(String key, SpecificRecord value) {
            outputs.add(new Keyed(key, value));
        }
    }
}

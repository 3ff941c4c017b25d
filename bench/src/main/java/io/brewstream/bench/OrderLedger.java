package io.brewstream.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.payments.Refund;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.inventory.RecipeMath;

/**
 * What the topics say happened to the orders of some shops, checked against what holds whatever failed on the way:
 * every placed order ended once, in one final state; no order entered a status twice; no event id appears twice; the
 * stock shown is what was delivered less what picked-up orders consumed, with exactly what open orders hold reserved
 * (each order's needs worked out again from the recipes); every payment counted once and refunded when it must be.
 * Fed the records in topic order (commands, events,
 * deliveries, stock levels, recipes), it keeps the latest of each; {@link #findings()} compares.
 */
public final class OrderLedger {
    /** Statuses an order never leaves. */
    public static final Set<OrderStatus> FINAL = EnumSet.of(OrderStatus.PICKED_UP, OrderStatus.CANCELLED,
            OrderStatus.REJECTED, OrderStatus.EXPIRED);
    private static final Set<OrderStatus> HOLDING = EnumSet.of(OrderStatus.VALIDATED, OrderStatus.IN_PREPARATION,
            OrderStatus.READY);
    private static final int EXAMPLES = 10;

    private final Set<String> shops;
    private final Set<String> placed = new HashSet<>();
    private final Map<String, List<OrderStatus>> entered = new HashMap<>();
    private final Map<String, Order> latest = new HashMap<>();
    private final Set<String> eventIds = new HashSet<>();
    private final List<String> duplicatedEvents = new ArrayList<>();
    private long duplicatedEventCount;
    private final Map<String, StockDelivery> deliveries = new HashMap<>();
    private final Map<String, StockLevel> levels = new HashMap<>();
    private final Map<String, Recipe> recipes = new HashMap<>();
    private final List<String> undecodable = new ArrayList<>();
    /** Per order: each payment id's amount as first received (a redelivery of the same id counts once). */
    private final Map<String, Map<String, Long>> received = new HashMap<>();
    /** Per order: the refunds written, by refund id. */
    private final Map<String, Map<String, Long>> refunded = new HashMap<>();

    /** Over the orders, deliveries and stock of these shops only: other tests and runs may share the topics. */
    public OrderLedger(Set<String> shops) {
        this.shops = Set.copyOf(shops);
    }

    public void command(OrderCommand command) {
        if (command != null && command.getCommand() instanceof PlaceOrder place && shops.contains(place.getShopId())) {
            placed.add(command.getOrderId());
        }
    }

    public void event(OrderEvent event) {
        if (event == null || event.getShopId() == null || !shops.contains(event.getShopId())) {
            return;
        }
        if (!eventIds.add(event.getEventId())) {
            duplicatedEventCount++;
            if (duplicatedEvents.size() < EXAMPLES) {
                duplicatedEvents.add(event.getEventId() + " of " + event.getOrderId());
            }
        }
        if (event.getKind() == OrderEventKind.TRANSITION && event.getAccepted() && event.getToStatus() != null) {
            entered.computeIfAbsent(event.getOrderId(), id -> new ArrayList<>()).add(event.getToStatus());
        }
        if (event.getOrder() != null) {
            latest.put(event.getOrderId(), event.getOrder());
        }
    }

    public void delivery(StockDelivery delivery) {
        if (delivery != null && shops.contains(delivery.getShopId())) {
            deliveries.put(delivery.getDeliveryId(), delivery);
        }
    }

    public void stockLevel(StockLevel level) {
        if (level != null && shops.contains(level.getShopId())) {
            levels.put(Keys.shopIngredient(level.getShopId(), level.getIngredientId()), level);
        }
    }

    /** A payment on payments.received for an order of these shops. */
    public void payment(PaymentReceived payment) {
        if (payment != null && placed.contains(payment.getOrderId())) {
            received.computeIfAbsent(payment.getOrderId(), id -> new LinkedHashMap<>())
                    .putIfAbsent(payment.getPaymentId(), payment.getAmount().getAmountMinor());
        }
    }

    /** A refund on payments.refunds for an order of these shops. */
    public void refund(Refund refund) {
        if (refund != null && placed.contains(refund.getOrderId())) {
            refunded.computeIfAbsent(refund.getOrderId(), id -> new LinkedHashMap<>())
                    .put(refund.getRefundId(), refund.getAmount().getAmountMinor());
        }
    }

    /** A record of these shops that could not be decoded (where it is, and why). */
    public void undecodable(String which) {
        undecodable.add(which);
    }

    public void recipe(Recipe recipe) {
        if (recipe != null) {
            recipes.put(recipe.getMenuItemId(), recipe);
        }
    }

    /** Placed orders that have not ended yet (to wait for before {@link #findings()}). */
    public long open() {
        return placed.stream().filter(id -> entered.getOrDefault(id, List.of()).stream().noneMatch(FINAL::contains))
                .count();
    }

    public Findings findings() {
        Map<OrderStatus, Long> endedIn = new EnumMap<>(OrderStatus.class);
        List<String> notEnded = new ArrayList<>();
        List<String> endedTwice = new ArrayList<>();
        List<String> enteredTwice = new ArrayList<>();
        List<String> withoutCommand = new ArrayList<>();
        for (String orderId : placed) {
            List<OrderStatus> statuses = entered.getOrDefault(orderId, List.of());
            List<OrderStatus> ends = statuses.stream().filter(FINAL::contains).toList();
            if (ends.isEmpty()) {
                notEnded.add(orderId + " (" + statuses + ")");
            } else if (ends.size() > 1) {
                endedTwice.add(orderId + " " + ends);
            } else {
                endedIn.merge(ends.get(0), 1L, Long::sum);
            }
            if (new HashSet<>(statuses).size() < statuses.size()) {
                enteredTwice.add(orderId + " " + statuses);
            }
        }
        for (String orderId : entered.keySet()) {
            if (!placed.contains(orderId)) {
                withoutCommand.add(orderId);
            }
        }
        long payments = received.values().stream().mapToLong(Map::size).sum();
        long refunds = refunded.values().stream().mapToLong(Map::size).sum();
        return new Findings(placed.size(), endedIn, notEnded.size(), endedTwice.size(), enteredTwice.size(),
                withoutCommand.size(), duplicatedEventCount, levels.size(), stockMismatches(), payments, refunds,
                moneyMismatches(), List.copyOf(undecodable), examples(notEnded, endedTwice, enteredTwice, withoutCommand));
    }

    /**
     * Per order that took money: what came in (each payment id once) less what went out (the refunds) is what the
     * order keeps: what it counted as paid while open or picked up, nothing once cancelled, rejected or expired; the
     * order's own record of its refunds agrees; no payment id counted twice.
     */
    private List<String> moneyMismatches() {
        List<String> mismatches = new ArrayList<>();
        Set<String> orders = new TreeSet<>(received.keySet());
        orders.addAll(refunded.keySet());
        for (String orderId : orders) {
            long in = received.getOrDefault(orderId, Map.of()).values().stream().mapToLong(Long::longValue).sum();
            long out = refunded.getOrDefault(orderId, Map.of()).values().stream().mapToLong(Long::longValue).sum();
            Order order = latest.get(orderId);
            if (order == null) {
                mismatches.add(orderId + ": " + in + " received, " + out + " refunded, and no event of the order");
                continue;
            }
            long paid = order.getAmountPaid() == null ? 0 : order.getAmountPaid().getAmountMinor();
            boolean closedWithoutPickup = FINAL.contains(order.getStatus()) && order.getStatus() != OrderStatus.PICKED_UP;
            long keeps = closedWithoutPickup ? 0 : paid;
            long refundedByOrder = order.getAmountRefunded() == null ? 0 : order.getAmountRefunded().getAmountMinor();
            if (in - out != keeps || out != refundedByOrder
                    || new HashSet<>(order.getPaymentIds()).size() < order.getPaymentIds().size()) {
                mismatches.add(orderId + " (" + order.getStatus() + "): " + in + " received, " + out + " refunded ("
                        + refundedByOrder + " by the order's record), keeps " + keeps + "; payment ids " + order.getPaymentIds());
            }
        }
        return mismatches;
    }

    /** Per shop and ingredient: on hand = delivered - consumed, reserved = held by open orders. */
    private List<String> stockMismatches() {
        Map<String, long[]> expected = new LinkedHashMap<>(); // key -> {on hand, reserved}
        for (StockDelivery delivery : deliveries.values()) {
            for (IngredientQuantity item : delivery.getItems()) {
                expected.computeIfAbsent(Keys.shopIngredient(delivery.getShopId(), item.getIngredientId()),
                        k -> new long[2])[0] += item.getQuantity();
            }
        }
        for (String orderId : placed) {
            Order order = latest.get(orderId);
            List<OrderStatus> statuses = entered.getOrDefault(orderId, List.of());
            if (order == null || statuses.isEmpty()) {
                continue;
            }
            boolean consumed = statuses.contains(OrderStatus.PICKED_UP);
            OrderStatus now = statuses.get(statuses.size() - 1);
            boolean holding = HOLDING.contains(now)
                    || now == OrderStatus.PLACED && !order.getPendingChecks().contains(CheckType.INVENTORY);
            if (!consumed && !holding) {
                continue;
            }
            Map<String, IngredientQuantity> needs;
            try {
                needs = RecipeMath.needs(order.getLines(), recipes::get);
            } catch (RecipeMath.MissingRecipeException e) {
                continue; // refused at placement for the same reason: it never held anything
            }
            for (IngredientQuantity need : needs.values()) {
                long[] level = expected.computeIfAbsent(Keys.shopIngredient(order.getShopId(), need.getIngredientId()),
                        k -> new long[2]);
                if (consumed) {
                    level[0] -= need.getQuantity();
                } else {
                    level[1] += need.getQuantity();
                }
            }
        }
        List<String> mismatches = new ArrayList<>();
        for (String key : new TreeSet<>(union(expected.keySet(), levels.keySet()))) {
            long[] want = expected.getOrDefault(key, new long[2]);
            StockLevel shown = levels.get(key);
            long onHand = shown == null ? 0 : shown.getOnHand();
            long reserved = shown == null ? 0 : shown.getReserved();
            if (onHand != want[0] || reserved != want[1]) {
                mismatches.add(key + ": shows " + onHand + " on hand, " + reserved + " reserved; the orders say "
                        + want[0] + " on hand, " + want[1] + " reserved");
            }
        }
        return mismatches;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private List<String> examples(List<String> notEnded, List<String> endedTwice, List<String> enteredTwice,
            List<String> withoutCommand) {
        List<String> examples = new ArrayList<>();
        notEnded.stream().limit(EXAMPLES).map(s -> "not ended: " + s).forEach(examples::add);
        endedTwice.stream().limit(EXAMPLES).map(s -> "ended twice: " + s).forEach(examples::add);
        enteredTwice.stream().limit(EXAMPLES).map(s -> "a status entered twice: " + s).forEach(examples::add);
        withoutCommand.stream().limit(EXAMPLES).map(s -> "events without a placing command: " + s)
                .forEach(examples::add);
        duplicatedEvents.stream().map(s -> "event id twice: " + s).forEach(examples::add);
        return examples;
    }

    /**
     * @param ordersPlaced        orders with a place command
     * @param endedIn             how many ended in each final status (each once)
     * @param notEnded            placed, not (yet) in a final status
     * @param endedMoreThanOnce   in two final statuses, or the same one twice
     * @param enteredAStatusTwice entered some status (final or not) more than once
     * @param withoutCommand      with events but no place command
     * @param duplicatedEventIds  events whose id appeared before
     * @param stockLevels         shop ingredients whose stock was compared
     * @param stockMismatches     shop ingredients whose stock disagrees with the orders, each explained
     * @param payments            distinct payments received for the orders
     * @param refunds             refunds written for them
     * @param moneyMismatches     orders whose payments, refunds and own record of them disagree, each explained
     * @param undecodable         records of the shops that could not be decoded, each placed and explained
     * @param examples            a few order ids of each kind of finding
     */
    public record Findings(long ordersPlaced, Map<OrderStatus, Long> endedIn, long notEnded, long endedMoreThanOnce,
            long enteredAStatusTwice, long withoutCommand, long duplicatedEventIds, long stockLevels,
            List<String> stockMismatches, long payments, long refunds, List<String> moneyMismatches,
            List<String> undecodable, List<String> examples) {

        /** Nothing lost, nothing twice, the stock and the money add up. */
        public boolean clean() {
            return notEnded == 0 && endedMoreThanOnce == 0 && enteredAStatusTwice == 0 && withoutCommand == 0
                    && duplicatedEventIds == 0 && stockMismatches.isEmpty() && moneyMismatches.isEmpty()
                    && undecodable.isEmpty();
        }

        @Override
        public String toString() {
            return ordersPlaced + " orders placed, ended in " + endedIn + "; not ended " + notEnded
                    + ", ended more than once " + endedMoreThanOnce + ", a status entered twice " + enteredAStatusTwice
                    + ", events without a place command " + withoutCommand + ", event ids twice " + duplicatedEventIds
                    + "; stock of " + stockLevels + " shop ingredients, " + stockMismatches.size() + " off"
                    + (stockMismatches.isEmpty() ? "" : " " + stockMismatches.subList(0, Math.min(5, stockMismatches.size())))
                    + "; " + payments + " payments, " + refunds + " refunds, money of " + moneyMismatches.size()
                    + " orders off" + (moneyMismatches.isEmpty() ? "" : " " + moneyMismatches.subList(0,
                            Math.min(5, moneyMismatches.size())))
                    + (undecodable.isEmpty() ? "" : "; undecodable " + undecodable)
                    + (examples.isEmpty() ? "" : "; e.g. " + examples);
        }
    }
}

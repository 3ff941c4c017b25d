package io.brewstream.topologies.orders;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.Refund;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.fraud.Chargeback;
import io.brewstream.topologies.fraud.FraudRules;
import io.brewstream.topologies.fraud.InTaskFraud;
import io.brewstream.topologies.inventory.InventorySettings;
import io.brewstream.topologies.inventory.StockKeeper;
import io.brewstream.topologies.pricing.OrderPricing;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DeadlineKeys;

/**
 * The step of the order path: applies commands (a new order priced and its stock reserved at once), check results,
 * payments, deadlines and deliveries to the task's orders and stock, keeps the indexes of open orders and
 * deadlines, and emits {@link OrderEvent}s, {@link Refund}s, stock levels and low-stock alerts.
 */
final class OrderProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
    private final OrderLifecycle lifecycle;
    private final Duration punctuationInterval;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Order> orders;
    private KeyValueStore<String, Order> openByShop;
    private KeyValueStore<String, String> deadlines;
    private OrderPricing pricing;
    /**
     * The timestamp of what this step writes: the input record's, so a backlog drains in the order it was written
     * and a downstream window sees when things happened; the clock's for what a deadline does.
     */
    private long outputTimestamp;
    private StockKeeper stock;
    private final InventorySettings inventory;
    /** The fraud rules when fraud is scored in this task; null when the fraud topology posts the FRAUD check. */
    private final FraudRules fraudRules;
    private InTaskFraud fraud;

    OrderProcessor(OrderLifecycle lifecycle, InventorySettings inventory, FraudRules fraudRules, Duration punctuationInterval) {
        this.lifecycle = lifecycle;
        this.inventory = inventory;
        this.fraudRules = fraudRules;
        this.punctuationInterval = punctuationInterval;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.orders = context.getStateStore(OrderStores.ORDERS);
        this.openByShop = context.getStateStore(OrderStores.OPEN_ORDERS_BY_SHOP);
        this.deadlines = context.getStateStore(OrderStores.DEADLINES);
        KeyValueStore<String, Shop> shops = context.getStateStore(ReferenceTables.SHOPS);
        KeyValueStore<String, MenuItem> menu = context.getStateStore(ReferenceTables.MENU_ITEMS);
        KeyValueStore<String, PriceChange> prices = context.getStateStore(ReferenceTables.CURRENT_PRICES);
        this.pricing = new OrderPricing(shops::get, menu::get, prices::get);
        this.stock = new StockKeeper(inventory, context::getStateStore,
                (key, value) -> context.forward(new Record<>(key, value, outputTimestamp)));
        if (fraudRules != null) {
            this.fraud = new InTaskFraud(fraudRules, context,
                    (key, value) -> context.forward(new Record<>(key, value, outputTimestamp)));
        }
        context.schedule(punctuationInterval, PunctuationType.WALL_CLOCK_TIME, this::onClock);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord value = record.value();
        if (value == null) {
            return;
        }
        String orderId = record.key();
        Instant now = now();
        outputTimestamp = record.timestamp();
        Order current = value instanceof StockDelivery ? null : orders.get(orderId);
        if (value instanceof OrderCommand command) {
            requireKey(orderId, command.getOrderId());
            Transition transition = lifecycle.onCommand(current, command, now);
            if (current == null) { // a new order: the checks this task makes itself, in the same step
                transition = lifecycle.checkedInTask(transition, checksInTask(now), now);
            }
            apply(orderId, current, transition, command.getCommandId(), null, now);
        } else if (value instanceof ValidationResult result) {
            requireKey(orderId, result.getOrderId());
            apply(orderId, current, lifecycle.onValidation(current, result, now), null, null, now);
        } else if (value instanceof PaymentReceived payment) {
            requireKey(orderId, payment.getOrderId());
            Transition paid = lifecycle.onPayment(current, payment, now);
            if (fraud != null && awaitsFraud(paid)) { // the FRAUD check waited for this payment
                ValidationResult result = fraud.onPayment(paid.order(), payment, now);
                if (result != null) {
                    paid = lifecycle.thenChecked(paid, result, now);
                }
            }
            apply(orderId, current, paid, null, payment, now);
        } else if (value instanceof StockDelivery delivery) {
            stock.deliver(delivery, record.timestamp(), now);
        } else if (value instanceof Chargeback chargeback && fraud != null) {
            fraud.onChargeback(chargeback, now);
        } else {
            throw new IllegalArgumentException("unexpected record " + value.getClass().getName());
        }
    }

    private static boolean awaitsFraud(Transition transition) {
        return !transition.isIgnored() && transition.accepted() && transition.order() != null
                && transition.order().getStatus() == OrderStatus.PLACED
                && transition.order().getPendingChecks().contains(CheckType.FRAUD);
    }

    /**
     * The checks this task makes itself, in this order: pricing, from the shop's current prices and the menu; the
     * stock, reserved from the shop's stock store; then (fraud in the task) the fraud score of the priced order.
     */
    private Map<CheckType, Function<Order, ValidationResult>> checksInTask(Instant now) {
        Map<CheckType, Function<Order, ValidationResult>> checks = new LinkedHashMap<>();
        checks.put(CheckType.PRICING, order -> pricing.price(order, now));
        checks.put(CheckType.INVENTORY, order -> stock.reserve(order, now));
        if (fraud != null) {
            checks.put(CheckType.FRAUD, order -> fraud.check(order, now));
        }
        return checks;
    }

    private void onClock(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        outputTimestamp = wallClockMillis;
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = deadlines.range(null, DeadlineKeys.upTo(now.toEpochMilli()))) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> entry : due) {
            Order current = orders.get(entry.value);
            if (current != null && lifecycle.forgettable(current, now)) {
                forget(current); // closed long enough ago: reads of it answer 404 from now on
                deadlines.delete(entry.key);
                continue;
            }
            apply(entry.value, current, lifecycle.onDeadline(current, now), null, null, now);
            deadlines.delete(entry.key); // a still-future deadline of the order was written back by apply
            if (current != null) {
                Order after = orders.get(entry.value);
                Instant next = after == null ? null : lifecycle.deadline(after);
                if (next != null && next.isAfter(now)) {
                    deadlines.put(DeadlineKeys.key(next.toEpochMilli(), entry.value), entry.value);
                }
            }
        }
    }

    private void apply(String orderId, Order before, Transition transition, String commandId, PaymentReceived payment,
            Instant now) {
        if (transition.isIgnored()) {
            return;
        }
        Order after = transition.order();
        if (transition.orderChanged()) {
            orders.put(orderId, after);
            reindex(before, after);
            if (before == null || before.getStatus() != after.getStatus()) {
                stock.afterTransition(after, now); // released as it closes, consumed at pickup
            }
        }
        if (fraud != null) {
            fraud.afterStep(before, after, now); // its count of orders waiting for payment; the shares written
        }
        forward(orderId, event(orderId, transition, commandId, now), now);
        if (transition.refund() != null) {
            forward(orderId, refund(orderId, transition, after, payment, now), now);
        }
    }

    private void reindex(Order before, Order after) {
        Instant oldDeadline = before == null ? null : lifecycle.deadline(before);
        Instant newDeadline = lifecycle.deadline(after);
        if (oldDeadline != null && !oldDeadline.equals(newDeadline)) {
            deadlines.delete(DeadlineKeys.key(oldDeadline.toEpochMilli(), after.getOrderId()));
        }
        if (newDeadline != null && !newDeadline.equals(oldDeadline)) {
            deadlines.put(DeadlineKeys.key(newDeadline.toEpochMilli(), after.getOrderId()), after.getOrderId());
        }
        String shopKey = OrderStores.shopKey(after.getShopId(), after.getOrderId());
        if (OrderLifecycle.OPEN.contains(after.getStatus())) {
            openByShop.put(shopKey, after);
        } else if (before != null) {
            openByShop.delete(shopKey);
        }
    }

    private static OrderEvent event(String orderId, Transition transition, String commandId, Instant now) {
        Order after = transition.order();
        return OrderEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOrderId(orderId)
                .setShopId(after == null ? null : after.getShopId())
                .setCommandId(commandId)
                .setFromStatus(transition.from())
                .setToStatus(after == null ? null : after.getStatus())
                .setAccepted(transition.accepted())
                .setReasons(transition.reasons())
                .setOrder(after)
                .setKind(transition.kind())
                .setOccurredAt(now)
                .build();
    }

    private static Refund refund(String orderId, Transition transition, Order after, PaymentReceived payment, Instant now) {
        String paymentId = payment != null ? payment.getPaymentId() : String.join(",", after.getPaymentIds());
        PaymentMethod method = payment != null ? payment.getMethod() : after.getLastPaymentMethod();
        return Refund.newBuilder()
                .setRefundId(UUID.randomUUID().toString())
                .setOrderId(orderId)
                .setPaymentId(paymentId)
                .setMethod(method)
                .setAmount(transition.refund())
                .setReason(String.join("; ", transition.reasons()))
                .setRequestedAt(now)
                .build();
    }

    private void forward(String orderId, SpecificRecord value, Instant now) {
        context.forward(new Record<>(orderId, value, outputTimestamp));
    }

    private void forget(Order closed) {
        orders.delete(closed.getOrderId());
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }

    private static void requireKey(String key, String orderId) {
        if (!orderId.equals(key)) {
            throw new IllegalArgumentException("record for order " + orderId + " keyed by " + key);
        }
    }
}

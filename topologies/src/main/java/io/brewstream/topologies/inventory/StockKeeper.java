package io.brewstream.topologies.inventory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.LowStock;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.ReservationStatus;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.inventory.StockReservation;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.reference.Distances;
import io.brewstream.topologies.reference.ReferenceTables;

/**
 * Keeps the stock of the shops of its partitions. Records arrive keyed by shop id, so all of a shop's stock is
 * here and an order's reservation over several ingredients is all-or-nothing in one store. Reserves when an
 * order is placed, releases when it is cancelled, rejected or expires, consumes when it is picked up, adds
 * deliveries.
 */
final class StockKeeper implements Processor<String, SpecificRecord, String, SpecificRecord> {
    static final Duration DELIVERY_ID_RETENTION = Duration.ofDays(30);
    private final InventorySettings settings;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, StockLevel> stock;
    private KeyValueStore<String, StockReservation> reservations;
    private KeyValueStore<String, Long> deliveriesSeen;
    private KeyValueStore<String, Recipe> recipes;
    private KeyValueStore<String, Shop> shops;
    private KeyValueStore<String, StockLevel> allStock;

    StockKeeper(InventorySettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        stock = context.getStateStore(InventoryStores.STOCK);
        reservations = context.getStateStore(InventoryStores.RESERVATIONS);
        deliveriesSeen = context.getStateStore(InventoryStores.DELIVERIES_SEEN);
        recipes = context.getStateStore(ReferenceTables.RECIPES);
        shops = context.getStateStore(ReferenceTables.SHOPS);
        allStock = context.getStateStore(ReferenceTables.ALL_STOCK_LEVELS);
        context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::forgetOldDeliveries);
    }

    /** A delivery is redelivered within minutes, not weeks: ids older than the retention are forgotten. */
    private void forgetOldDeliveries(long wallClockMillis) {
        long oldest = wallClockMillis - DELIVERY_ID_RETENTION.toMillis();
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = deliveriesSeen.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value < oldest) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(deliveriesSeen::delete);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (record.value() instanceof OrderEvent event) {
            onOrderEvent(event, now);
        } else if (record.value() instanceof StockDelivery delivery) {
            onDelivery(delivery, now);
        } else if (record.value() != null) {
            throw new IllegalArgumentException("unexpected record " + record.value().getClass().getName());
        }
    }

    // ---- orders

    private void onOrderEvent(OrderEvent event, Instant now) {
        if (event.getKind() != OrderEventKind.TRANSITION || event.getOrder() == null) {
            return;
        }
        Order order = event.getOrder();
        if (event.getFromStatus() == null) {
            reserve(order, now);
        } else if (order.getStatus() == OrderStatus.PICKED_UP) {
            settle(order, ReservationStatus.CONSUMED, now);
        } else if (order.getStatus() == OrderStatus.CANCELLED || order.getStatus() == OrderStatus.REJECTED
                || order.getStatus() == OrderStatus.EXPIRED) {
            settle(order, ReservationStatus.RELEASED, now);
        }
    }

    private void reserve(Order order, Instant now) {
        if (reservations.get(order.getOrderId()) != null) {
            return; // a redelivered event: the reservation was decided already
        }
        Map<String, IngredientQuantity> needs;
        try {
            needs = RecipeMath.needs(order.getLines(), recipes::get);
        } catch (RecipeMath.MissingRecipeException e) {
            refuse(order, List.of(), List.of(e.getMessage()), null, now);
            return;
        }
        List<IngredientQuantity> shortages = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (IngredientQuantity need : needs.values()) {
            StockLevel level = stock.get(Keys.shopIngredient(order.getShopId(), need.getIngredientId()));
            long available = level == null ? 0 : available(level);
            if (available < need.getQuantity()) {
                shortages.add(IngredientQuantity.newBuilder(need).setQuantity(need.getQuantity() - available).build());
                reasons.add("not enough " + need.getIngredientId() + ": need " + need.getQuantity() + " "
                        + unit(need) + ", " + available + " available");
            }
        }
        if (!shortages.isEmpty()) {
            refuse(order, shortages, reasons, nearestShopThatCanServe(order.getShopId(), needs.values()).orElse(null), now);
            return;
        }
        for (IngredientQuantity need : needs.values()) {
            String key = Keys.shopIngredient(order.getShopId(), need.getIngredientId());
            StockLevel before = stock.get(key);
            change(before, StockLevel.newBuilder(before).setReserved(before.getReserved() + need.getQuantity())
                    .setUpdatedAt(now).build(), now);
        }
        StockReservation held = reservation(order, List.copyOf(needs.values()), ReservationStatus.HELD, List.of(), now);
        reservations.put(order.getOrderId(), held);
        forward(order.getOrderId(), held, now);
        forward(order.getOrderId(), result(order, true, List.of("reserved " + needs.size() + " ingredients"), null, now), now);
    }

    private void refuse(Order order, List<IngredientQuantity> shortages, List<String> reasons, String suggestedShop,
            Instant now) {
        StockReservation refused = reservation(order, List.of(), ReservationStatus.REFUSED, shortages, now);
        reservations.put(order.getOrderId(), refused);
        forward(order.getOrderId(), refused, now);
        List<String> all = new ArrayList<>(reasons);
        if (suggestedShop != null) {
            all.add("nearest shop that can serve it: " + suggestedShop);
        }
        forward(order.getOrderId(), result(order, false, all, suggestedShop, now), now);
    }

    /** Releases or consumes a held reservation. */
    private void settle(Order order, ReservationStatus outcome, Instant now) {
        StockReservation reservation = reservations.get(order.getOrderId());
        if (reservation == null || reservation.getStatus() != ReservationStatus.HELD) {
            return;
        }
        for (IngredientQuantity held : reservation.getItems()) {
            StockLevel before = stock.get(Keys.shopIngredient(order.getShopId(), held.getIngredientId()));
            if (before == null) {
                continue;
            }
            long onHand = outcome == ReservationStatus.CONSUMED ? before.getOnHand() - held.getQuantity() : before.getOnHand();
            change(before, StockLevel.newBuilder(before).setOnHand(onHand)
                    .setReserved(Math.max(0, before.getReserved() - held.getQuantity())).setUpdatedAt(now).build(), now);
        }
        StockReservation settled = StockReservation.newBuilder(reservation).setStatus(outcome).setUpdatedAt(now).build();
        reservations.put(order.getOrderId(), settled);
        forward(order.getOrderId(), settled, now);
    }

    // ---- deliveries

    private void onDelivery(StockDelivery delivery, Instant now) {
        if (deliveriesSeen.get(delivery.getDeliveryId()) != null) {
            return;
        }
        for (IngredientQuantity item : delivery.getItems()) {
            String key = Keys.shopIngredient(delivery.getShopId(), item.getIngredientId());
            StockLevel before = stock.get(key);
            StockLevel after = before == null
                    ? StockLevel.newBuilder().setShopId(delivery.getShopId()).setIngredientId(item.getIngredientId())
                            .setUnit(item.getUnit()).setOnHand(item.getQuantity()).setReserved(0)
                            .setLowStockThreshold(settings.thresholdFor(item.getIngredientId(), item.getUnit()))
                            .setUpdatedAt(now).build()
                    : StockLevel.newBuilder(before).setOnHand(before.getOnHand() + item.getQuantity()).setUpdatedAt(now).build();
            change(before, after, now);
        }
        deliveriesSeen.put(delivery.getDeliveryId(), now.toEpochMilli());
    }

    // ---- helpers

    private void change(StockLevel before, StockLevel after, Instant now) {
        String key = Keys.shopIngredient(after.getShopId(), after.getIngredientId());
        stock.put(key, after);
        forward(key, after, now);
        long threshold = after.getLowStockThreshold();
        boolean wasAbove = before == null || available(before) >= threshold;
        if (wasAbove && available(after) < threshold && before != null) {
            forward(after.getShopId(), LowStock.newBuilder().setShopId(after.getShopId())
                    .setIngredientId(after.getIngredientId()).setAvailable(available(after)).setThreshold(threshold)
                    .setUnit(after.getUnit()).setDetectedAt(now).build(), now);
        }
    }

    /** The nearest open shop whose stock, as last published, covers every need. */
    private Optional<String> nearestShopThatCanServe(String shopId, java.util.Collection<IngredientQuantity> needs) {
        Shop origin = shops.get(shopId);
        if (origin == null) {
            return Optional.empty();
        }
        List<Shop> candidates = new ArrayList<>();
        try (KeyValueIterator<String, Shop> all = shops.all()) {
            all.forEachRemaining((KeyValue<String, Shop> kv) -> {
                if (!kv.key.equals(shopId) && kv.value.getOpen()) {
                    candidates.add(kv.value);
                }
            });
        }
        candidates.sort(Comparator.comparingDouble(s -> Distances.kilometres(origin.getLocation(), s.getLocation())));
        return candidates.stream()
                .filter(shop -> needs.stream().allMatch(need -> {
                    StockLevel level = allStock.get(Keys.shopIngredient(shop.getShopId(), need.getIngredientId()));
                    return level != null && available(level) >= need.getQuantity();
                }))
                .map(Shop::getShopId)
                .findFirst();
    }

    private static long available(StockLevel level) {
        return level.getOnHand() - level.getReserved();
    }

    private static String unit(IngredientQuantity q) {
        switch (q.getUnit()) {
            case MILLILITRE: return "ml";
            case GRAM: return "g";
            default: return "pcs";
        }
    }

    private static StockReservation reservation(Order order, List<IngredientQuantity> items, ReservationStatus status,
            List<IngredientQuantity> shortages, Instant now) {
        return StockReservation.newBuilder().setOrderId(order.getOrderId()).setShopId(order.getShopId())
                .setItems(items).setStatus(status).setShortages(shortages).setUpdatedAt(now).build();
    }

    private static ValidationResult result(Order order, boolean passed, List<String> reasons, String suggestedShop,
            Instant now) {
        return ValidationResult.newBuilder().setOrderId(order.getOrderId()).setCheck(CheckType.INVENTORY)
                .setPassed(passed).setReasons(reasons).setSuggestedShopId(suggestedShop).setCheckedAt(now).build();
    }

    private void forward(String key, SpecificRecord value, Instant now) {
        context.forward(new Record<>(key, value, now.toEpochMilli()));
    }
}

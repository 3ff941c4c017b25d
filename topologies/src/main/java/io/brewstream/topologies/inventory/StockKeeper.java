package io.brewstream.topologies.inventory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.LowStock;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.ReservationStatus;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.inventory.StockReservation;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.reference.Distances;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.RetainedWindows;

/**
 * Keeps the stock of the shops of one orders task. Orders are partitioned by shop, so all of a shop's stock is in
 * the task that places its orders, and an order's reservation over several ingredients is all-or-nothing, decided
 * in the step that places it (the INVENTORY check). Releases when an order is cancelled, rejected or expires,
 * consumes when it is picked up, adds deliveries (routed to the shop's partition). Stock levels and low-stock
 * events go to {@code out}; reservations stay in their store, whose changelog is their copy.
 */
public final class StockKeeper {
    static final Duration DELIVERY_ID_RETENTION = Duration.ofDays(30);
    private final InventorySettings settings;
    private final BiConsumer<String, SpecificRecord> out;
    private final KeyValueStore<String, StockLevel> stock;
    private final KeyValueStore<String, StockReservation> reservations;
    private final WindowStore<String, Long> deliveriesSeen;
    private final KeyValueStore<String, Recipe> recipes;
    private final KeyValueStore<String, Shop> shops;
    private final KeyValueStore<String, StockLevel> allStock;

    /** Over the stores of the calling task ({@link InventoryStores}, {@link ReferenceTables}). */
    public StockKeeper(InventorySettings settings, StateStores stores, BiConsumer<String, SpecificRecord> out) {
        this.settings = settings;
        this.out = out;
        stock = stores.get(InventoryStores.STOCK);
        reservations = stores.get(InventoryStores.RESERVATIONS);
        deliveriesSeen = stores.get(InventoryStores.DELIVERIES_SEEN);
        recipes = stores.get(ReferenceTables.RECIPES);
        shops = stores.get(ReferenceTables.SHOPS);
        allStock = stores.get(ReferenceTables.ALL_STOCK_LEVELS);
    }

    /** A task's state stores by name ({@code ProcessorContext::getStateStore}). */
    public interface StateStores {
        <S extends org.apache.kafka.streams.processor.StateStore> S get(String name);
    }

    /** What an order's new status does to its reservation: released when it closes, consumed at pickup. */
    public void afterTransition(Order order, Instant now) {
        if (order.getStatus() == OrderStatus.PICKED_UP) {
            settle(order, ReservationStatus.CONSUMED, now);
        } else if (order.getStatus() == OrderStatus.CANCELLED || order.getStatus() == OrderStatus.REJECTED
                || order.getStatus() == OrderStatus.EXPIRED) {
            settle(order, ReservationStatus.RELEASED, now);
        }
    }

    /** The INVENTORY check of a new order: its ingredients reserved all together, or none and why. */
    public ValidationResult reserve(Order order, Instant now) {
        boolean namesItsShop = OrderIds.parse(order.getOrderId()).map(id -> id.shopId().equals(order.getShopId()))
                .orElse(false);
        if (!namesItsShop) {
            // only an id that names its shop is partitioned by it (KeyPartitioning): another one may be in a task
            // that does not hold the shop's stock, and must not reserve from what it holds
            return refuse(order, List.of(), List.of("order id " + order.getOrderId() + " does not name shop "
                    + order.getShopId() + " (see OrderIds)"), null, now);
        }
        Map<String, IngredientQuantity> needs;
        try {
            needs = RecipeMath.needs(order.getLines(), recipes::get);
        } catch (RecipeMath.MissingRecipeException e) {
            return refuse(order, List.of(), List.of(e.getMessage()), null, now);
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
            return refuse(order, shortages, reasons,
                    nearestShopThatCanServe(order.getShopId(), needs.values()).orElse(null), now);
        }
        for (IngredientQuantity need : needs.values()) {
            String key = Keys.shopIngredient(order.getShopId(), need.getIngredientId());
            StockLevel before = stock.get(key);
            change(before, StockLevel.newBuilder(before).setReserved(before.getReserved() + need.getQuantity())
                    .setUpdatedAt(now).build(), now);
        }
        StockReservation held = reservation(order, List.copyOf(needs.values()), ReservationStatus.HELD, List.of(), now);
        reservations.put(order.getOrderId(), held);
        return result(order, true, List.of("reserved " + needs.size() + " ingredients"), null, now);
    }

    /** Nothing is held for a refused order, and nothing is kept: its order is rejected with the reasons. */
    private ValidationResult refuse(Order order, List<IngredientQuantity> shortages, List<String> reasons,
            String suggestedShop, Instant now) {
        List<String> all = new ArrayList<>(reasons);
        if (suggestedShop != null) {
            all.add("nearest shop that can serve it: " + suggestedShop);
        }
        return result(order, false, all, suggestedShop, now);
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
        reservations.delete(order.getOrderId()); // settled: nothing is held any more, nothing to keep
    }

    // ---- deliveries

    /**
     * Adds a delivery to the stock once: its id is remembered under the delivery record's time. A delivery is
     * redelivered within minutes, not weeks; the store drops ids older than {@link #DELIVERY_ID_RETENTION} by
     * stream time, a segment at a time, so nothing scans it.
     */
    public void deliver(StockDelivery delivery, long recordTimestamp, Instant now) {
        try (WindowStoreIterator<Long> seen = deliveriesSeen.fetch(delivery.getDeliveryId(),
                RetainedWindows.lookBackFrom(recordTimestamp, DELIVERY_ID_RETENTION), RetainedWindows.LATEST)) {
            if (seen.hasNext()) {
                return;
            }
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
        deliveriesSeen.put(delivery.getDeliveryId(), now.toEpochMilli(), recordTimestamp);
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
        out.accept(key, value);
    }
}

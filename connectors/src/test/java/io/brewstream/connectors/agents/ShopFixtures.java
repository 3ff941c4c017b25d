package io.brewstream.connectors.agents;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.brewstream.schemas.common.GeoPoint;
import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.inventory.StockUnit;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;

/** A small shop for the agents' pure rules: three drinks and a pastry, their recipes and stock. */
final class ShopFixtures {
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private ShopFixtures() {
    }

    static Money eur(long minor) {
        return Money.newBuilder().setAmountMinor(minor).setCurrency("EUR").build();
    }

    static MenuItem drink(String id, String name, long base, List<String> options) {
        Map<String, Long> prices = new java.util.HashMap<>();
        options.forEach(o -> prices.put(o, o.equals("oat") ? 50L : 60L));
        return MenuItem.newBuilder().setMenuItemId(id).setName(name).setCategory("coffee").setBasePrice(eur(base))
                .setMinPrice(eur(base * 8 / 10)).setMaxPrice(eur(base * 15 / 10))
                .setSizes(List.of(ItemSize.SMALL, ItemSize.MEDIUM, ItemSize.LARGE))
                .setSizePriceDelta(Map.of("SMALL", -40L, "LARGE", 60L)).setOptions(options).setOptionPrices(prices).build();
    }

    static List<MenuItem> menu() {
        return List.of(drink("americano", "Americano", 300, List.of("extra-shot")),
                drink("latte", "Caffè Latte", 380, List.of("oat", "extra-shot", "vanilla")),
                drink("mocha", "Mocha", 420, List.of("oat")),
                MenuItem.newBuilder().setMenuItemId("croissant").setName("Butter Croissant").setCategory("pastry")
                        .setBasePrice(eur(280)).setMinPrice(eur(200)).setMaxPrice(eur(380)).build());
    }

    static IngredientQuantity q(String id, long amount, StockUnit unit) {
        return IngredientQuantity.newBuilder().setIngredientId(id).setQuantity(amount).setUnit(unit).build();
    }

    static Map<String, Recipe> recipes() {
        return Map.of(
                "americano", Recipe.newBuilder().setMenuItemId("americano").setIngredients(List.of(
                        q("espresso-beans", 18, StockUnit.GRAM))).build(),
                "latte", Recipe.newBuilder().setMenuItemId("latte").setIngredients(List.of(
                        q("espresso-beans", 18, StockUnit.GRAM), q("milk-dairy", 200, StockUnit.MILLILITRE))).build(),
                "mocha", Recipe.newBuilder().setMenuItemId("mocha").setIngredients(List.of(
                        q("espresso-beans", 18, StockUnit.GRAM), q("milk-dairy", 180, StockUnit.MILLILITRE),
                        q("chocolate-sauce", 30, StockUnit.MILLILITRE))).build(),
                "croissant", Recipe.newBuilder().setMenuItemId("croissant").setIngredients(List.of(
                        q("croissant", 1, StockUnit.PIECE))).build());
    }

    static StockLevel level(String ingredient, long onHand, long reserved, long threshold, StockUnit unit) {
        return StockLevel.newBuilder().setShopId("berlin-mitte").setIngredientId(ingredient).setUnit(unit)
                .setOnHand(onHand).setReserved(reserved).setLowStockThreshold(threshold).setUpdatedAt(T0).build();
    }

    static Shop shop(boolean open) {
        return Shop.newBuilder().setShopId("berlin-mitte").setName("brewstream Mitte").setCity("Berlin")
                .setAddress("Rosenthaler Str. 40").setLocation(GeoPoint.newBuilder().setLatitude(52.5).setLongitude(13.4)
                        .build()).setCurrency("EUR").setTimezone("Europe/Berlin").setOpen(open).build();
    }

    static ShopState.Facts facts(boolean open, List<StockLevel> stock, Map<String, Money> prices) {
        return new ShopState.Facts(Optional.of(shop(open)), menu(), prices, stock, recipes());
    }
}

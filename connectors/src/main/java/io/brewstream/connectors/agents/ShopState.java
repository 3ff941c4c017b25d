package io.brewstream.connectors.agents;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/**
 * What agents know of the shops, read whole from the topics that hold it: shops, the menu, each shop's current
 * prices, its stock levels and the recipes. {@link #facts(String)} gives one shop's as plain values for the pure
 * rules ({@link AssistantPrompt}, {@link BeverageInvention}).
 */
final class ShopState implements TopicAgent.View {
    private final Map<String, Shop> shops = new ConcurrentHashMap<>();
    private final Map<String, MenuItem> menu = new ConcurrentHashMap<>();
    /** shopId:menuItemId → the price in force. */
    private final Map<String, Money> prices = new ConcurrentHashMap<>();
    /** shopId:ingredientId → the level. */
    private final Map<String, StockLevel> stock = new ConcurrentHashMap<>();
    private final Map<String, Recipe> recipes = new ConcurrentHashMap<>();
    private final List<TopicView<?>> views;

    /** One shop's state at a moment. */
    record Facts(Optional<Shop> shop, List<MenuItem> menu, Map<String, Money> prices, List<StockLevel> stock,
            Map<String, Recipe> recipes) {
        /** The price in force at the shop, else the menu's base price. */
        Money price(MenuItem item) {
            return prices.getOrDefault(item.getMenuItemId(), item.getBasePrice());
        }
    }

    ShopState(String bootstrapServers, AvroSerdes serdes) {
        views = List.of(
                new TopicView<>(bootstrapServers, serdes, Topics.SHOPS, (key, shop, at) -> put(shops, key, shop)),
                new TopicView<>(bootstrapServers, serdes, Topics.MENU_ITEMS, (key, item, at) -> put(menu, key, item)),
                new TopicView<>(bootstrapServers, serdes, Topics.PRICE_CHANGES,
                        (key, change, at) -> put(prices, key, change == null ? null : change.getNewPrice())),
                new TopicView<>(bootstrapServers, serdes, Topics.STOCK_LEVELS, (key, level, at) -> put(stock, key, level)),
                new TopicView<>(bootstrapServers, serdes, Topics.RECIPES, (key, recipe, at) -> put(recipes, key, recipe)));
    }

    private static <V> void put(Map<String, V> map, String key, V value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    @Override
    public ShopState start() {
        views.forEach(TopicView::start);
        return this;
    }

    /** Whether every topic has been read to where it stood at start. */
    @Override
    public boolean caughtUp() {
        return views.stream().allMatch(TopicView::caughtUp);
    }

    Facts facts(String shopId) {
        String prefix = shopId + ":";
        Map<String, Money> shopPrices = new java.util.TreeMap<>();
        prices.forEach((key, price) -> {
            if (key.startsWith(prefix)) {
                shopPrices.put(key.substring(prefix.length()), price);
            }
        });
        List<StockLevel> levels = stock.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue).sorted(java.util.Comparator.comparing(StockLevel::getIngredientId)).toList();
        List<MenuItem> items = menu.values().stream().sorted(java.util.Comparator.comparing(MenuItem::getMenuItemId))
                .toList();
        return new Facts(Optional.ofNullable(shops.get(shopId)), items, shopPrices, levels, Map.copyOf(recipes));
    }

    @Override
    public void close() throws InterruptedException {
        for (TopicView<?> view : views) {
            view.close();
        }
    }
}

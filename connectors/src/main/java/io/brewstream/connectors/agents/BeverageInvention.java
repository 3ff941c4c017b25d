package io.brewstream.connectors.agents;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.inventory.StockUnit;
import io.brewstream.schemas.reference.MenuItem;

/**
 * A new drink from what a shop has too much of: the ingredient whose available stock stands furthest above its
 * low-stock threshold (at least {@code surplusFactor} times it) goes into a drink of the menu that does not have it
 * yet, in the amount an add-on of its kind takes. Priced as that drink at the shop's price now plus the dearest
 * add-on the drink offers, within the drink's own minimum and maximum. Pure.
 *
 * @param surplusFactor available stock at least this many times its threshold counts as a surplus
 */
public record BeverageInvention(double surplusFactor) {
    public static final double DEFAULT_SURPLUS_FACTOR = 4.0;
    /** Words that name the form of an ingredient rather than its taste ("vanilla-syrup" is sold as "Vanilla"). */
    private static final Set<String> FORMS = Set.of("syrup", "sauce", "concentrate", "milk", "beans", "powder");
    /** What an add-on of each unit takes per cup when the drink has no ingredient of that unit to scale from. */
    private static final Map<StockUnit, Long> ADD_ON = Map.of(StockUnit.MILLILITRE, 20L, StockUnit.GRAM, 9L,
            StockUnit.PIECE, 1L);

    /** What the inventor comes up with: a drink, or nothing and why. */
    public sealed interface Invention permits Proposal, Nothing {
    }

    /** A drink proposed: its name and id, the drink it builds on, what one cup takes, its price and why. */
    public record Proposal(String name, String menuItemId, MenuItem base, IngredientQuantity added,
            List<IngredientQuantity> recipe, Money price, String why) implements Invention {
    }

    /** Nothing to invent: why. */
    public record Nothing(String why) implements Invention {
    }

    public Invention propose(List<MenuItem> menu, Map<String, Money> pricesNow, List<StockLevel> stock,
            Map<String, Recipe> recipes) {
        Optional<StockLevel> surplus = stock.stream().filter(this::isSurplus)
                .max(Comparator.comparingDouble(BeverageInvention::cover)
                        .thenComparing(StockLevel::getIngredientId, Comparator.reverseOrder()));
        if (surplus.isEmpty()) {
            return new Nothing(String.format(Locale.ROOT, "no ingredient has %.0f times its low-stock threshold available",
                    surplusFactor));
        }
        StockLevel level = surplus.get();
        String ingredient = level.getIngredientId();
        // a drink (a menu item with more than one ingredient, or a coffee) without the ingredient, cheapest first
        Optional<MenuItem> base = menu.stream().filter(MenuItem::getAvailable)
                .filter(item -> recipes.containsKey(item.getMenuItemId()))
                .filter(item -> !item.getCategory().equals("pastry"))
                .filter(item -> recipes.get(item.getMenuItemId()).getIngredients().stream()
                        .noneMatch(q -> q.getIngredientId().equals(ingredient)))
                .min(Comparator.comparingLong((MenuItem item) -> pricesNow.getOrDefault(item.getMenuItemId(),
                        item.getBasePrice()).getAmountMinor()).thenComparing(MenuItem::getMenuItemId));
        if (base.isEmpty()) {
            return new Nothing(ingredient + " is in surplus, but every drink of the menu has it already");
        }
        MenuItem item = base.get();
        Recipe recipe = recipes.get(item.getMenuItemId());
        IngredientQuantity added = IngredientQuantity.newBuilder().setIngredientId(ingredient)
                .setQuantity(amountFor(recipe, level.getUnit())).setUnit(level.getUnit()).build();
        List<IngredientQuantity> ingredients = new ArrayList<>(recipe.getIngredients());
        ingredients.add(added);
        Money now = pricesNow.getOrDefault(item.getMenuItemId(), item.getBasePrice());
        long addOn = item.getOptionPrices().values().stream().mapToLong(Long::longValue).max().orElse(50L);
        long price = Math.max(item.getMinPrice().getAmountMinor(),
                Math.min(item.getMaxPrice().getAmountMinor(), now.getAmountMinor() + addOn));
        String taste = taste(ingredient);
        String name = taste + " " + item.getName();
        long available = level.getOnHand() - level.getReserved();
        String why = String.format(Locale.ROOT,
                "%s: %d %s available, %.1f times its threshold of %d; %d %s a cup uses it up in %d cups. Priced as %s now"
                        + " (%s) plus its dearest add-on (%s), within %s to %s.",
                ingredient, available, unit(level.getUnit()), cover(level), level.getLowStockThreshold(),
                added.getQuantity(), unit(level.getUnit()), (available - level.getLowStockThreshold()) / added.getQuantity(),
                item.getName(), money(now.getAmountMinor(), now.getCurrency()), money(addOn, now.getCurrency()),
                money(item.getMinPrice().getAmountMinor(), now.getCurrency()),
                money(item.getMaxPrice().getAmountMinor(), now.getCurrency()));
        return new Proposal(name, taste.toLowerCase(Locale.ROOT).replace(' ', '-') + "-" + item.getMenuItemId(), item,
                added, List.copyOf(ingredients), Money.newBuilder().setAmountMinor(price).setCurrency(now.getCurrency())
                        .build(), why);
    }

    private boolean isSurplus(StockLevel level) {
        return level.getLowStockThreshold() > 0 && cover(level) >= surplusFactor;
    }

    private static double cover(StockLevel level) {
        return (level.getOnHand() - level.getReserved()) / (double) Math.max(1, level.getLowStockThreshold());
    }

    /** A fifth of the drink's largest ingredient of the same unit, else an add-on's usual amount. */
    private static long amountFor(Recipe recipe, StockUnit unit) {
        return recipe.getIngredients().stream().filter(q -> q.getUnit() == unit)
                .mapToLong(IngredientQuantity::getQuantity).max().stream().map(q -> Math.max(1, q / 5)).findFirst()
                .orElse(ADD_ON.getOrDefault(unit, 1L));
    }

    /** "vanilla-syrup" → "Vanilla", "milk-oat" → "Oat", "chai-concentrate" → "Chai". */
    static String taste(String ingredientId) {
        List<String> words = new ArrayList<>();
        for (String word : ingredientId.split("[-_]")) {
            if (!word.isEmpty() && !FORMS.contains(word)) {
                words.add(Character.toUpperCase(word.charAt(0)) + word.substring(1));
            }
        }
        return words.isEmpty() ? ingredientId : String.join(" ", words);
    }

    static String money(long minor, String currency) {
        return String.format(Locale.ROOT, "%d.%02d %s", minor / 100, Math.abs(minor % 100), currency);
    }

    private static String unit(StockUnit unit) {
        return unit.name().toLowerCase(Locale.ROOT);
    }
}

package io.brewstream.connectors.agents;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.brewstream.connectors.agents.ChatCompletionsClient.Turn;
import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;

/**
 * What the shop assistant tells the model: who it speaks for, the rules it answers by, and the shop's state now
 * (open or not, the menu at the shop's prices with sizes and add-ons, what is sold out because an ingredient ran
 * out), then the chat's earlier turns and the question. Stock is given as in or out of stock, never in numbers. Pure.
 */
public final class AssistantPrompt {
    private AssistantPrompt() {
    }

    public static List<Turn> build(ShopState.Facts facts, List<Turn> earlier, String question) {
        List<Turn> turns = new ArrayList<>();
        turns.add(new Turn(Turn.Role.SYSTEM, system(facts)));
        turns.addAll(earlier);
        turns.add(new Turn(Turn.Role.USER, question));
        return turns;
    }

    static String system(ShopState.Facts facts) {
        Shop shop = facts.shop().orElseThrow(() -> new IllegalArgumentException("no such shop"));
        Map<String, Long> available = facts.stock().stream().collect(Collectors.toMap(StockLevel::getIngredientId,
                l -> l.getOnHand() - l.getReserved(), (a, b) -> b));
        StringBuilder menu = new StringBuilder();
        for (MenuItem item : facts.menu()) {
            Money price = facts.price(item);
            menu.append("- ").append(item.getName()).append(" (").append(item.getMenuItemId()).append("): ")
                    .append(BeverageInvention.money(price.getAmountMinor(), price.getCurrency()));
            if (!item.getSizes().isEmpty()) {
                menu.append("; sizes ").append(item.getSizes().stream().map(size -> {
                    long delta = item.getSizePriceDelta().getOrDefault(size.name(), 0L);
                    return size.name().toLowerCase(Locale.ROOT) + (delta == 0 ? "" : (delta > 0 ? " +" : " -")
                            + BeverageInvention.money(Math.abs(delta), price.getCurrency()));
                }).collect(Collectors.joining(", ")));
            }
            if (!item.getOptions().isEmpty()) {
                menu.append("; add-ons ").append(item.getOptions().stream().map(option -> {
                    long extra = item.getOptionPrices().getOrDefault(option, 0L);
                    return option + (extra == 0 ? "" : " +" + BeverageInvention.money(extra, price.getCurrency()));
                }).collect(Collectors.joining(", ")));
            }
            String out = soldOutBecause(facts.recipes().get(item.getMenuItemId()), available);
            if (!item.getAvailable()) {
                menu.append("; NOT ON SALE");
            } else if (out != null) {
                menu.append("; SOLD OUT now (no ").append(out).append(')');
            }
            menu.append('\n');
        }
        return "You are the chat assistant of " + shop.getName() + " (" + shop.getAddress() + ", " + shop.getCity()
                + "), a coffee shop. Answer the customer's question in one to three friendly sentences, in the"
                + " language they wrote in, using only the facts below. If the facts do not say, say you do not know and"
                + " suggest asking the staff. Never invent items, prices or opening times, never give stock figures,"
                + " and never promise anything about an order: to order, the customer writes /order.\n\n"
                + "Facts:\n- The shop is " + (shop.getOpen() ? "open and taking orders" : "closed and not taking orders")
                + " now.\n- Prices are in " + shop.getCurrency() + ", for a medium size unless a size is named.\n"
                + "Menu:\n" + menu;
    }

    /** The first ingredient a recipe needs more of than the shop has, or null. */
    private static String soldOutBecause(Recipe recipe, Map<String, Long> available) {
        if (recipe == null) {
            return null;
        }
        for (IngredientQuantity need : recipe.getIngredients()) {
            Long have = available.get(need.getIngredientId());
            if (have != null && have < need.getQuantity()) {
                return need.getIngredientId();
            }
        }
        return null;
    }
}

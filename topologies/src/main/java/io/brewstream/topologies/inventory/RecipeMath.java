package io.brewstream.topologies.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.RecipeExtra;
import io.brewstream.schemas.inventory.RecipeSubstitution;
import io.brewstream.schemas.orders.OrderLine;

/**
 * What an order consumes: each line's recipe scaled by its size (percent of MEDIUM, rounded up), with
 * options swapping ingredients (oat milk for dairy) or adding them (an extra shot), times the quantity.
 */
public final class RecipeMath {
    private RecipeMath() {
    }

    /** Ingredient id to quantity, summed over the lines; a line without a recipe is named in the exception. */
    public static Map<String, IngredientQuantity> needs(List<OrderLine> lines, java.util.function.Function<String, Recipe> recipes) {
        Map<String, IngredientQuantity> needs = new LinkedHashMap<>();
        for (OrderLine line : lines) {
            Recipe recipe = recipes.apply(line.getMenuItemId());
            if (recipe == null) {
                throw new MissingRecipeException(line.getMenuItemId());
            }
            int percent = recipe.getSizePercent().getOrDefault(line.getSize().name(), 100);
            for (IngredientQuantity ingredient : recipe.getIngredients()) {
                String id = substitute(ingredient.getIngredientId(), line.getOptions(), recipe.getSubstitutions());
                long perItem = ceilDiv(ingredient.getQuantity() * percent, 100);
                add(needs, id, perItem * line.getQuantity(), ingredient);
            }
            for (RecipeExtra extra : recipe.getExtras()) {
                if (line.getOptions().contains(extra.getOption())) {
                    add(needs, extra.getAdds().getIngredientId(), extra.getAdds().getQuantity() * line.getQuantity(),
                            extra.getAdds());
                }
            }
        }
        return needs;
    }

    private static String substitute(String ingredientId, List<String> options, List<RecipeSubstitution> substitutions) {
        for (RecipeSubstitution s : substitutions) {
            if (s.getReplacesIngredientId().equals(ingredientId) && options.contains(s.getOption())) {
                return s.getWithIngredientId();
            }
        }
        return ingredientId;
    }

    private static void add(Map<String, IngredientQuantity> needs, String id, long quantity, IngredientQuantity like) {
        IngredientQuantity existing = needs.get(id);
        long total = existing == null ? quantity : existing.getQuantity() + quantity;
        needs.put(id, IngredientQuantity.newBuilder().setIngredientId(id).setQuantity(total).setUnit(like.getUnit()).build());
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    public static final class MissingRecipeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingRecipeException(String menuItemId) {
            super("no recipe for " + menuItemId);
        }
    }
}

package io.brewstream.connectors.agents;

import static io.brewstream.connectors.agents.ShopFixtures.eur;
import static io.brewstream.connectors.agents.ShopFixtures.level;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brewstream.schemas.inventory.StockUnit;

class BeverageInventionTest {
    private final BeverageInvention invention = new BeverageInvention(4.0);

    @Test
    void theIngredientMostInSurplusGoesIntoTheCheapestDrinkWithoutItPricedWithItsDearestAddOnWithinItsBounds() {
        var stock = List.of(level("espresso-beans", 5_000, 200, 1_000, StockUnit.GRAM), // 4.8x
                level("vanilla-syrup", 2_000, 0, 200, StockUnit.MILLILITRE), // 10x: the most
                level("milk-dairy", 3_000, 0, 2_000, StockUnit.MILLILITRE));
        var idea = invention.propose(ShopFixtures.menu(), Map.of("latte", eur(400)), stock, ShopFixtures.recipes());
        assertThat(idea).isInstanceOf(BeverageInvention.Proposal.class);
        var p = (BeverageInvention.Proposal) idea;
        // every drink lacks vanilla; the americano is the cheapest drink (the croissant is no drink)
        assertThat(p.base().getMenuItemId()).isEqualTo("americano");
        assertThat(p.name()).isEqualTo("Vanilla Americano");
        assertThat(p.menuItemId()).isEqualTo("vanilla-americano");
        // the americano has no millilitre ingredient to scale from: an add-on's usual 20 ml
        assertThat(p.added().getQuantity()).isEqualTo(20);
        assertThat(p.recipe()).extracting(q -> q.getIngredientId()).containsExactly("espresso-beans", "vanilla-syrup");
        assertThat(p.price().getAmountMinor()).as("3.00 + its extra-shot's 0.60").isEqualTo(360);
        assertThat(p.why()).contains("vanilla-syrup: 2000 millilitre available, 10.0 times its threshold of 200")
                .contains("uses it up in 90 cups").contains("within 2.40 EUR to 4.50 EUR");
    }

    @Test
    void aPriceThatWouldPassTheDrinksMaximumStopsThereAndAnAmountScalesFromTheDrinksOwnIngredient() {
        var stock = List.of(level("chocolate-sauce", 5_000, 0, 500, StockUnit.MILLILITRE));
        // the latte at its maximum already: 5.70 EUR + 0.60 is held at 5.70
        var p = (BeverageInvention.Proposal) invention.propose(ShopFixtures.menu(),
                Map.of("americano", eur(450), "latte", eur(570)), stock, ShopFixtures.recipes());
        assertThat(p.base().getMenuItemId()).as("the americano costs 4.50 now, the latte 5.70").isEqualTo("americano");
        var latteOnly = (BeverageInvention.Proposal) invention.propose(List.of(ShopFixtures.menu().get(1)),
                Map.of("latte", eur(570)), stock, ShopFixtures.recipes());
        assertThat(latteOnly.price().getAmountMinor()).isEqualTo(570);
        assertThat(latteOnly.added().getQuantity()).as("a fifth of its 200 ml of milk").isEqualTo(40);
        assertThat(latteOnly.name()).isEqualTo("Chocolate Caffè Latte");
    }

    @Test
    void nothingIsProposedWithoutASurplusOrWhenEveryDrinkHasTheIngredient() {
        var tight = List.of(level("vanilla-syrup", 700, 0, 200, StockUnit.MILLILITRE));
        assertThat(invention.propose(ShopFixtures.menu(), Map.of(), tight, ShopFixtures.recipes()))
                .isEqualTo(new BeverageInvention.Nothing("no ingredient has 4 times its low-stock threshold available"));
        var beans = List.of(level("espresso-beans", 9_000, 0, 1_000, StockUnit.GRAM));
        assertThat(invention.propose(ShopFixtures.menu(), Map.of(), beans, ShopFixtures.recipes()))
                .isEqualTo(new BeverageInvention.Nothing("espresso-beans is in surplus, but every drink of the menu has it already"));
    }

    @Test
    void anIngredientIsNamedByItsTasteNotItsForm() {
        assertThat(BeverageInvention.taste("vanilla-syrup")).isEqualTo("Vanilla");
        assertThat(BeverageInvention.taste("milk-oat")).isEqualTo("Oat");
        assertThat(BeverageInvention.taste("chai-concentrate")).isEqualTo("Chai");
        assertThat(BeverageInvention.taste("salted-caramel-sauce")).isEqualTo("Salted Caramel");
    }
}

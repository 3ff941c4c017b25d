package io.brewstream.connectors.agents;

import static io.brewstream.connectors.agents.ShopFixtures.eur;
import static io.brewstream.connectors.agents.ShopFixtures.level;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brewstream.connectors.agents.ChatCompletionsClient.Turn;
import io.brewstream.schemas.inventory.StockUnit;

class AssistantPromptTest {
    @Test
    void theModelIsToldTheShopsMenuAtItsPricesWhatIsSoldOutAndTheRulesThenTheChatAndTheQuestion() {
        var stock = List.of(level("espresso-beans", 5_000, 0, 1_000, StockUnit.GRAM),
                level("milk-dairy", 4_000, 0, 2_000, StockUnit.MILLILITRE),
                level("chocolate-sauce", 40, 20, 500, StockUnit.MILLILITRE)); // 20 ml left: no mocha (30 ml)
        var earlier = List.of(new Turn(Turn.Role.USER, "Do you have lattes?"), new Turn(Turn.Role.ASSISTANT, "Yes."));
        List<Turn> turns = AssistantPrompt.build(ShopFixtures.facts(true, stock, Map.of("latte", eur(410))), earlier,
                "And a mocha?");
        assertThat(turns).hasSize(4);
        assertThat(turns.get(0).role()).isEqualTo(Turn.Role.SYSTEM);
        assertThat(turns.subList(1, 3)).isEqualTo(earlier);
        assertThat(turns.get(3)).isEqualTo(new Turn(Turn.Role.USER, "And a mocha?"));
        String system = turns.get(0).text();
        assertThat(system).startsWith("You are the chat assistant of brewstream Mitte (Rosenthaler Str. 40, Berlin)")
                .contains("using only the facts below").contains("never give stock figures")
                .contains("The shop is open and taking orders now.")
                .contains("- Caffè Latte (latte): 4.10 EUR; sizes small -0.40 EUR, medium, large +0.60 EUR;"
                        + " add-ons oat +0.50 EUR, extra-shot +0.60 EUR, vanilla +0.60 EUR\n")
                .contains("- Americano (americano): 3.00 EUR")
                .contains("- Mocha (mocha): 4.20 EUR; sizes small -0.40 EUR, medium, large +0.60 EUR; add-ons oat +0.50 EUR;"
                        + " SOLD OUT now (no chocolate-sauce)")
                .doesNotContain("5000").doesNotContain("4000");
    }

    @Test
    void aClosedShopSaysSo() {
        String system = AssistantPrompt.system(ShopFixtures.facts(false, List.of(), Map.of()));
        assertThat(system).contains("The shop is closed and not taking orders now.");
    }
}

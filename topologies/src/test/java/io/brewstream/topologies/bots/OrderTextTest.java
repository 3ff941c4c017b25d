package io.brewstream.topologies.bots;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.topologies.reference.DemoData;

class OrderTextTest {
    private static OrderText.Parsed parse(String text) {
        return OrderText.parse(text, DemoData.menu(), DemoData.shops());
    }

    @Test
    void anOrderIsReadWithItsSizeOptionsQuantityAndShop() {
        OrderText.Parsed parsed = parse("latte large oat x2 at berlin-mitte");

        assertThat(parsed.complete()).isTrue();
        assertThat(parsed.shopId()).contains("berlin-mitte");
        OrderLine line = parsed.lines().get(0);
        assertThat(line.getMenuItemId()).isEqualTo("latte");
        assertThat(line.getSize()).isEqualTo(ItemSize.LARGE);
        assertThat(line.getOptions()).containsExactly("oat");
        assertThat(line.getQuantity()).isEqualTo(2);
    }

    @Test
    void severalItemsTyposSpacedNamesAndWordsForSizesAreForgiven() {
        OrderText.Parsed parsed = parse("2x Lattte big with oat milk, flat white extra shot and a croissant at mitte");

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.lines()).extracting(OrderLine::getMenuItemId).containsExactly("latte", "flat-white", "croissant");
        assertThat(parsed.lines().get(0).getQuantity()).isEqualTo(2);
        assertThat(parsed.lines().get(0).getSize()).isEqualTo(ItemSize.LARGE);
        assertThat(parsed.lines().get(1).getOptions()).containsExactly("extra-shot");
        assertThat(parsed.shopId()).contains("berlin-mitte");
    }

    @Test
    void articlesAndNumberWordsAreRead() {
        OrderText.Parsed parsed = parse("two lattes big with oat milk and a croissant please at mitte");

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.lines()).extracting(OrderLine::getMenuItemId).containsExactly("latte", "croissant");
        assertThat(parsed.lines().get(0).getQuantity()).isEqualTo(2);
    }

    @Test
    void aShopThatFitsSeveralIsLeftToChooseAndNoneIsNamedPlainly() {
        assertThat(parse("latte at berlin").shopChoices())
                .containsExactly("berlin-kreuzberg", "berlin-mitte", "berlin-prenzlauer-berg");
        assertThat(parse("latte").shopId()).isEmpty();
        assertThat(parse("latte at hamburg").problems()).singleElement().asString().contains("no shop");
    }

    @Test
    void whatCannotBeReadIsSaid() {
        assertThat(parse("pizza").problems()).singleElement().asString().contains("do not know");
        assertThat(parse("espresso large").problems()).singleElement().asString().contains("comes in");
        assertThat(parse("croissant oat").problems()).singleElement().asString().contains("no option");
        assertThat(parse("latte x500").problems()).singleElement().asString().contains("between 1 and");
        assertThat(parse("").problems()).isNotEmpty();
        assertThat(parse("").lines()).isEqualTo(List.of());
    }
}

package io.brewstream.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.PlaceOrder;

class PlaceOrderRulesTest {
    private static OrderLine line(String item, int quantity, List<String> options) {
        return OrderLine.newBuilder().setMenuItemId(item).setQuantity(quantity).setSize(ItemSize.MEDIUM)
                .setOptions(options).build();
    }

    @Test
    void aWellFormedOrderKeepsEveryRule() {
        PlaceOrder place = PlaceOrder.newBuilder().setShopId("berlin-mitte").setCustomerId("cust-42")
                .setLines(List.of(line("latte", 2, List.of("oat")))).setRequestFingerprint("f").build();

        assertThat(PlaceOrderRules.check(place)).isEmpty();
    }

    @Test
    void everyBrokenRuleIsNamedByItsApiField() {
        List<OrderLine> lines = new ArrayList<>();
        lines.add(line("latte", 0, List.of("oat", "bad option!")));
        PlaceOrder place = PlaceOrder.newBuilder().setShopId(" ").setCustomerId("c".repeat(65)).setLines(lines)
                .setNote("x".repeat(501)).setRequestFingerprint("f").build();

        assertThat(PlaceOrderRules.check(place)).extracting(PlaceOrderRules.Violation::field).containsExactly(
                "shopId", "customerId", "note", "items[0].quantity", "items[0].options[1]");
        assertThat(PlaceOrderRules.itemCount(51)).contains("must list at most 50 items");
        assertThat(PlaceOrderRules.itemCount(0)).contains("must list at least one item");
    }
}

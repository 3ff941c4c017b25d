package io.brewstream.topologies.pricing;

import static io.brewstream.topologies.reference.DemoData.MITTE;
import static io.brewstream.topologies.support.DriverSupport.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.reference.DemoData;
import io.brewstream.topologies.support.OrderFixtures;

/** Server-side pricing of new orders from the menu and the current prices: a pure rule, no broker. */
class OrderPricingTest {
    private final Map<String, MenuItem> menu = new HashMap<>();
    private final Map<String, PriceChange> currentPrices = new HashMap<>();
    private final OrderPricing pricing;

    OrderPricingTest() {
        Map<String, Shop> shops = new HashMap<>();
        DemoData.shops().forEach(shop -> shops.put(shop.getShopId(), shop));
        DemoData.menu().forEach(item -> menu.put(item.getMenuItemId(), item));
        pricing = new OrderPricing(shops::get, menu::get, currentPrices::get);
    }

    @Test
    void aLargeOatLatteIsPricedFromTheMenuWithSizeAndOption() {
        ValidationResult result = pricing.price(order("o-1", MITTE, OrderStatus.PLACED, "latte", 2, ItemSize.LARGE,
                List.of("oat")), OrderFixtures.T0);
        assertThat(result.getCheck()).isEqualTo(CheckType.PRICING);
        assertThat(result.getPassed()).isTrue();
        // 3.80 base + 0.60 large + 0.50 oat = 4.90, twice
        assertThat(result.getPricedLines().get(0).getUnitPrice()).isEqualTo(Amounts.of(490, "EUR"));
        assertThat(result.getTotal()).isEqualTo(Amounts.of(980, "EUR"));
    }

    @Test
    void aPriceChangeTakesPrecedenceOverTheBasePrice() {
        currentLattePrice(400, 380, 10_526);
        assertThat(price(order("o-1", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of())).getTotal()).isEqualTo(Amounts.of(400, "EUR"));
    }

    @Test
    void aNewBasePriceFromTheMenuTopicPricesTheNextOrder() {
        newLatteBasePrice(350);
        assertThat(price(order("o-1", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of())).getTotal()).isEqualTo(Amounts.of(350, "EUR"));
    }

    @Test
    void aNewBasePriceCountsAtOnceEvenWhileADynamicPriceFromTheOldBaseIsCurrent() {
        currentLattePrice(418, 380, 11_000);
        newLatteBasePrice(400);
        assertThat(price(order("o-1", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of())).getTotal()).as("the same +10% on the new base").isEqualTo(Amounts.of(440, "EUR"));
    }

    @Test
    void unknownItemsSizesOptionsAndShopsFailWithTheirReason() {
        assertThat(List.of(
                price(order("o-1", MITTE, OrderStatus.PLACED, "unicorn-frappe", 1, ItemSize.MEDIUM, List.of())),
                price(order("o-2", MITTE, OrderStatus.PLACED, "flat-white", 1, ItemSize.LARGE, List.of())),
                price(order("o-3", MITTE, OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of("gold-flakes"))),
                price(order("o-4", "atlantis", OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of()))))
                .allMatch(r -> !r.getPassed())
                .extracting(r -> r.getReasons().get(0)).containsExactly(
                "unknown menu item unicorn-frappe",
                "Flat White does not come in LARGE",
                "Caffè Latte has no option gold-flakes",
                "unknown shop atlantis");
    }

    private void currentLattePrice(long newPrice, long basePrice, int multiplierBasisPoints) {
        currentPrices.put(Keys.shopItem(MITTE, "latte"), PriceChange.newBuilder()
                .setShopId(MITTE).setMenuItemId("latte").setNewPrice(Amounts.of(newPrice, "EUR"))
                .setBasePrice(Amounts.of(basePrice, "EUR")).setMultiplierBasisPoints(multiplierBasisPoints)
                .setStrategy("demand").setReason("busy").setChangedAt(OrderFixtures.T0).build());
    }

    private void newLatteBasePrice(long basePrice) {
        MenuItem latte = DemoData.menu().stream().filter(m -> m.getMenuItemId().equals("latte")).findFirst().orElseThrow();
        menu.put("latte", MenuItem.newBuilder(latte).setBasePrice(Amounts.of(basePrice, "EUR")).build());
    }

    private ValidationResult price(Order order) {
        return pricing.price(order, OrderFixtures.T0);
    }
}

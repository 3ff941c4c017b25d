package io.brewstream.topologies.pricing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.topics.Keys;

/**
 * Prices one order server-side: each line at the shop's current unit price, with its size and options; the
 * PRICING check's result. Pure: the orders task gives it its reference data (shops, the menu, the current prices)
 * and runs it in the step that places the order.
 */
public final class OrderPricing {
    private final Function<String, Shop> shops;
    private final Function<String, MenuItem> menu;
    private final Function<String, PriceChange> currentPrices;

    /**
     * @param shops         shop by id
     * @param menu          menu item by id
     * @param currentPrices the current price by {@link Keys#shopItem(String, String)}, null where none was set
     */
    public OrderPricing(Function<String, Shop> shops, Function<String, MenuItem> menu,
            Function<String, PriceChange> currentPrices) {
        this.shops = shops;
        this.menu = menu;
        this.currentPrices = currentPrices;
    }

    public ValidationResult price(Order order, Instant now) {
        ValidationResult.Builder result = ValidationResult.newBuilder()
                .setOrderId(order.getOrderId()).setCheck(CheckType.PRICING).setCheckedAt(now);

        Shop shop = shops.apply(order.getShopId());
        List<String> problems = new ArrayList<>();
        if (shop == null) {
            problems.add("unknown shop " + order.getShopId());
        } else if (!shop.getOpen()) {
            problems.add("shop " + shop.getName() + " is closed");
        }
        List<OrderLine> priced = new ArrayList<>();
        Money total = null;
        for (OrderLine line : order.getLines()) {
            Money unit = unitPrice(order.getShopId(), line, problems);
            if (unit == null) {
                continue;
            }
            if (shop != null && !unit.getCurrency().equals(shop.getCurrency())) {
                problems.add(line.getMenuItemId() + " is priced in " + unit.getCurrency() + ", the shop sells in "
                        + shop.getCurrency());
                continue;
            }
            priced.add(OrderLine.newBuilder(line).setUnitPrice(unit).build());
            total = Amounts.plus(total, Amounts.times(unit, line.getQuantity()));
        }
        if (problems.isEmpty()) {
            return result.setPassed(true).setPricedLines(priced).setTotal(total)
                    .setReasons(List.of("total " + Amounts.format(total))).build();
        }
        return result.setPassed(false).setReasons(problems).build();
    }

    /**
     * The shop's current price of the item; when the menu's base price changed since that price was set, the
     * same multiplier on the new base, so a new menu price counts from the next order on.
     */
    private Money currentPrice(String shopId, MenuItem item) {
        PriceChange current = currentPrices.apply(Keys.shopItem(shopId, item.getMenuItemId()));
        if (current == null) {
            return item.getBasePrice();
        }
        if (current.getBasePrice().equals(item.getBasePrice())) {
            return current.getNewPrice();
        }
        return Amounts.of(PriceRules.bounded(item, current.getMultiplierBasisPoints()), item.getBasePrice().getCurrency());
    }

    private Money unitPrice(String shopId, OrderLine line, List<String> problems) {
        MenuItem item = menu.apply(line.getMenuItemId());
        if (item == null) {
            problems.add("unknown menu item " + line.getMenuItemId());
            return null;
        }
        if (!item.getAvailable()) {
            problems.add(item.getName() + " is not available");
            return null;
        }
        if (!item.getSizes().isEmpty() && !item.getSizes().contains(line.getSize())) {
            problems.add(item.getName() + " does not come in " + line.getSize());
            return null;
        }
        Money base = currentPrice(shopId, item);
        long unit = base.getAmountMinor() + item.getSizePriceDelta().getOrDefault(line.getSize().name(), 0L);
        for (String option : line.getOptions()) {
            if (!item.getOptions().contains(option)) {
                problems.add(item.getName() + " has no option " + option);
                return null;
            }
            unit += item.getOptionPrices().getOrDefault(option, 0L);
        }
        return Amounts.of(unit, base.getCurrency());
    }
}

package io.brewstream.topologies.pricing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.reference.ReferenceTables;

/** Prices one order: each line at the shop's current unit price, with its size and options. */
final class OrderPricer implements FixedKeyProcessor<String, OrderEvent, ValidationResult> {
    private FixedKeyProcessorContext<String, ValidationResult> context;
    private KeyValueStore<String, Shop> shops;
    private KeyValueStore<String, MenuItem> menu;
    private KeyValueStore<String, PriceChange> currentPrices;

    @Override
    public void init(FixedKeyProcessorContext<String, ValidationResult> context) {
        this.context = context;
        shops = context.getStateStore(ReferenceTables.SHOPS);
        menu = context.getStateStore(ReferenceTables.MENU_ITEMS);
        currentPrices = context.getStateStore(ReferenceTables.CURRENT_PRICES);
    }

    @Override
    public void process(FixedKeyRecord<String, OrderEvent> record) {
        Order order = record.value().getOrder();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        ValidationResult.Builder result = ValidationResult.newBuilder()
                .setOrderId(order.getOrderId()).setCheck(CheckType.PRICING).setCheckedAt(now);

        Shop shop = shops.get(order.getShopId());
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
            result.setPassed(true).setPricedLines(priced).setTotal(total)
                    .setReasons(List.of("total " + Amounts.format(total)));
        } else {
            result.setPassed(false).setReasons(problems);
        }
        context.forward(record.withValue(result.build()));
    }

    /**
     * The shop's current price of the item; when the menu's base price changed since that price was set, the
     * same multiplier on the new base, so a new menu price counts from the next order on.
     */
    private Money currentPrice(String shopId, MenuItem item) {
        PriceChange current = currentPrices.get(Keys.shopItem(shopId, item.getMenuItemId()));
        if (current == null) {
            return item.getBasePrice();
        }
        if (current.getBasePrice().equals(item.getBasePrice())) {
            return current.getNewPrice();
        }
        return Amounts.of(PriceRules.bounded(item, current.getMultiplierBasisPoints()), item.getBasePrice().getCurrency());
    }

    private Money unitPrice(String shopId, OrderLine line, List<String> problems) {
        MenuItem item = menu.get(line.getMenuItemId());
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

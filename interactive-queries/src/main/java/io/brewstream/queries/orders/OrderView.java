package io.brewstream.queries.orders;

import java.time.Instant;
import java.util.List;

import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.OrderStatus;

/**
 * An order as the read API shows it. Leaves out what only the topology needs (request fingerprint, device,
 * IP); the pickup code shows only while the order is READY (the order id, unguessable, is the customer's key).
 */
public record OrderView(
        String orderId,
        String shopId,
        String customerId,
        String channel,
        String status,
        List<LineView> items,
        MoneyView total,
        MoneyView amountPaid,
        List<String> pendingChecks,
        List<String> reasons,
        String suggestedShopId,
        String pickupCode,
        String note,
        Instant placedAt,
        Instant updatedAt,
        long version) {

    public record LineView(String menuItemId, int quantity, String size, List<String> options, MoneyView unitPrice) {
    }

    public record MoneyView(long amountMinor, String currency) {
        static MoneyView of(Money money) {
            return money == null ? null : new MoneyView(money.getAmountMinor(), money.getCurrency());
        }
    }

    public static OrderView of(Order order) {
        return new OrderView(
                order.getOrderId(),
                order.getShopId(),
                order.getCustomerId(),
                order.getChannel().name(),
                order.getStatus().name(),
                order.getLines().stream().map(OrderView::line).toList(),
                MoneyView.of(order.getTotal()),
                MoneyView.of(order.getAmountPaid()),
                order.getPendingChecks().stream().map(CheckType::name).toList(),
                List.copyOf(order.getReasons()),
                order.getSuggestedShopId(),
                order.getStatus() == OrderStatus.READY ? order.getPickupCode() : null,
                order.getNote(),
                order.getPlacedAt(),
                order.getUpdatedAt(),
                order.getVersion());
    }

    private static LineView line(OrderLine line) {
        return new LineView(line.getMenuItemId(), line.getQuantity(), line.getSize().name(),
                List.copyOf(line.getOptions()), MoneyView.of(line.getUnitPrice()));
    }
}

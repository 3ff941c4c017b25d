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
 * IP). The pickup code shows only to the order's own customer, and only while the order is READY
 * ({@link #forCustomer}); staff queues, event streams and the dashboard never carry it.
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
        long version,
        String lastPaymentMethod,
        java.util.Map<String, String> links) {

    public record LineView(String menuItemId, int quantity, String size, List<String> options, MoneyView unitPrice) {
    }

    public record MoneyView(long amountMinor, String currency) {
        static MoneyView of(Money money) {
            return money == null ? null : new MoneyView(money.getAmountMinor(), money.getCurrency());
        }
    }

    /** Without the pickup code: for staff, analysts, event streams. */
    public static OrderView of(Order order) {
        return view(order, false);
    }

    /** For the order's own customer: with the pickup code while the order is READY. */
    public static OrderView forCustomer(Order order) {
        return view(order, true);
    }

    private static OrderView view(Order order, boolean withPickupCode) {
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
                withPickupCode && order.getStatus() == OrderStatus.READY ? order.getPickupCode() : null,
                order.getNote(),
                order.getPlacedAt(),
                order.getUpdatedAt(),
                order.getVersion(),
                order.getLastPaymentMethod() == null ? null : order.getLastPaymentMethod().name(),
                // crypto invoices live with the payments topology; the order links to them
                java.util.Map.of("invoices", "/api/v1/orders/" + order.getOrderId() + "/invoices"));
    }

    private static LineView line(OrderLine line) {
        return new LineView(line.getMenuItemId(), line.getQuantity(), line.getSize().name(),
                List.copyOf(line.getOptions()), MoneyView.of(line.getUnitPrice()));
    }
}

package io.brewstream.bench;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.PlaceOrder;

/**
 * Realistic orders: many customers, each with a phone and an address of its own, several shops, a real menu, one
 * to three lines with sizes and oat milk now and then. Seeded, so two runs send the same orders.
 */
public final class OrderTraffic {
    /** One menu item with the sizes it comes in and whether it takes oat milk. */
    public record Item(String menuItemId, List<ItemSize> sizes, boolean oat) {
    }

    private final List<String> shops;
    private final List<Item> menu;
    private final int customers;
    private final SplittableRandom random = new SplittableRandom(42);

    public OrderTraffic(List<String> shops, List<Item> menu, int customers) {
        this.shops = shops;
        this.menu = menu;
        this.customers = customers;
    }

    /**
     * The next order: its id, the command for Kafka, and the same order as the ingress's JSON body with the
     * customer's address for {@code X-Forwarded-For}.
     */
    /** @param json the HTTP body, without the customer: over HTTP the customer comes from the bearer token */
    public record NextOrder(String orderId, String customerId, OrderCommand command, String json, String clientIp) {
    }

    public synchronized NextOrder next() {
        String shop = shops.get(random.nextInt(shops.size()));
        int customerNumber = random.nextInt(customers);
        String customer = "bench-customer-" + customerNumber;
        String orderId = OrderIds.forRequest(shop, customer, null); // as the ingress makes it: it names its shop
        String device = "bench-phone-" + customerNumber;
        // carrier-grade NAT space (100.64.0.0/10), one address per customer
        String clientIp = "100." + (64 + (customerNumber >> 16 & 63)) + "." + (customerNumber >> 8 & 255) + "."
                + (customerNumber & 255);
        int lineCount = 1 + (random.nextInt(10) == 0 ? 2 : random.nextInt(2));
        List<OrderLine> lines = new java.util.ArrayList<>();
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < lineCount; i++) {
            Item item = menu.get(random.nextInt(menu.size()));
            ItemSize size = item.sizes().isEmpty() ? ItemSize.MEDIUM : item.sizes().get(random.nextInt(item.sizes().size()));
            List<String> options = item.oat() && random.nextInt(4) == 0 ? List.of("oat") : List.of();
            lines.add(OrderLine.newBuilder().setMenuItemId(item.menuItemId()).setQuantity(1).setSize(size)
                    .setOptions(options).build());
            items.append(i == 0 ? "" : ",").append("{\"menuItemId\":\"").append(item.menuItemId())
                    .append("\",\"quantity\":1,\"size\":\"").append(size.name().toLowerCase()).append("\",\"options\":[")
                    .append(options.isEmpty() ? "" : "\"oat\"").append("]}");
        }
        PlaceOrder place = PlaceOrder.newBuilder().setShopId(shop).setCustomerId(customer).setLines(lines)
                .setRequestFingerprint(Integer.toHexString(lines.hashCode())).setDeviceId(device).setClientIp(clientIp)
                .build();
        OrderCommand command = OrderCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setOrderId(orderId)
                .setChannel(Channel.APP).setIssuedAt(Instant.now()).setCommand(place).build();
        String json = "{\"shopId\":\"" + shop + "\",\"deviceId\":\"" + device
                + "\",\"items\":[" + items + "]}";
        return new NextOrder(orderId, customer, command, json, clientIp);
    }
}

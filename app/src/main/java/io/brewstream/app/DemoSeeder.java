package io.brewstream.app;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.DemoData;

/**
 * Seeds the demo chain (shops, menu, recipes, a few customers, opening deliveries) into the reference topics of an empty
 * cluster. A cluster whose shops topic has records already is left alone.
 */
final class DemoSeeder {
    private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);

    private DemoSeeder() {
    }

    static void seedIfEmpty(String bootstrapServers, CommandPublisher publisher) {
        if (hasShops(bootstrapServers)) {
            return;
        }
        DemoData.shops().forEach(shop -> publisher.publish(Topics.SHOPS, shop.getShopId(), shop));
        DemoData.menu().forEach(item -> publisher.publish(Topics.MENU_ITEMS, item.getMenuItemId(), item));
        DemoData.recipes().forEach(recipe -> publisher.publish(Topics.RECIPES, recipe.getMenuItemId(), recipe));
        DemoData.customers().forEach(c -> publisher.publish(Topics.CUSTOMERS, c.getCustomerId(), c));
        DemoData.openingDeliveries().forEach(d -> publisher.publish(Topics.STOCK_DELIVERIES, d.getDeliveryId(), d));
        log.info("seeded the demo chain: {} shops, {} menu items", DemoData.shops().size(), DemoData.menu().size());
    }

    private static boolean hasShops(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> ends = IntStream.range(0, Topics.SHOPS.partitions()).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(Topics.SHOPS.name(), p), p -> OffsetSpec.latest()));
            return admin.listOffsets(ends).all().get().values().stream().anyMatch(o -> o.offset() > 0);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the end of " + Topics.SHOPS, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

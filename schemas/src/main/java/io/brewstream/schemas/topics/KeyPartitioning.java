package io.brewstream.schemas.topics;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

import io.brewstream.schemas.ids.OrderIds;

/**
 * How a topic's keys are spread over its partitions.
 *
 * <p>{@link #BY_SHOP} keeps everything about one shop in one partition: a record keyed by an order id goes where
 * a record keyed by that order's shop id would go under Kafka's default partitioner (murmur2 of the key's UTF-8
 * bytes). So the order topics, every by-shop repartition topic and every topic keyed by shop id meet in the same
 * task, and one task holds a shop's orders, stock and prices; {@link #BY_SHOP_OF_VALUE} brings a topic keyed by
 * something else (deliveries) there too. A key that is not one of our order ids (a payment
 * naming an order that does not exist) is spread by its own hash, like {@link #BY_KEY}, always to the same place.
 */
public enum KeyPartitioning {
    /** Kafka's default: murmur2 of the whole key. */
    BY_KEY,
    /** By the shop an order id names ({@link OrderIds}); a shop id key itself lands in the same partition. */
    BY_SHOP,
    /**
     * By the shop the record's value names, where the key does not (a stock delivery, keyed by its delivery id):
     * the record lands with its shop's orders all the same, so the orders task reads it without a repartition.
     * Its writers place records with {@link Topic#partitionOf}; the key alone cannot.
     */
    BY_SHOP_OF_VALUE;

    /** The partition of a key among {@code partitions}. */
    public int partition(String key, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
        }
        if (this == BY_SHOP_OF_VALUE) {
            throw new IllegalStateException("a topic partitioned by the shop of its values places a record by its value,"
                    + " not by its key " + key + ": use Topic.partitionOf");
        }
        String hashed = this == BY_SHOP ? OrderIds.parse(key).map(OrderIds.Parsed::shopId).orElse(key) : key;
        return hash(hashed, partitions);
    }

    /** The partition every record about this shop goes to, in a topic of {@code partitions} partitions. */
    public static int ofShop(String shopId, int partitions) {
        return hash(shopId, partitions);
    }

    private static int hash(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}

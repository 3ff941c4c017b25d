package io.brewstream.connectors.cdc;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.data.Struct;

import io.brewstream.schemas.topics.KeyPartitioning;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;

/**
 * The tables of the operational database that stream into Kafka: each to its compacted topic, keyed by its
 * primary key (the columns of a composite one joined by {@code |}), its rows mapped to the topic's domain record.
 */
enum CapturedTable {
    SHOPS("shops", "shop_id", Topics.SHOPS, RowMappings::shop),
    MENU_ITEMS("menu_items", "menu_item_id", Topics.MENU_ITEMS, RowMappings::menuItem),
    RECIPES("recipes", "menu_item_id", Topics.RECIPES, RowMappings::recipe),
    CUSTOMERS("customers", "customer_id", Topics.CUSTOMERS, RowMappings::customer),
    STOCK_DELIVERIES("stock_deliveries", "delivery_id", Topics.STOCK_DELIVERIES, RowMappings::delivery, "shop_id"),
    EXCHANGES("exchanges", "exchange_id", Topics.EXCHANGE_FEES, RowMappings::exchange),
    EXCHANGE_WITHDRAWALS("exchange_withdrawals", "exchange_id|asset|network", Topics.WITHDRAWAL_FEES,
            RowMappings::withdrawal);

    static final String SCHEMA = "public";
    /** The outbox table; its rows are routed by aggregate type, not mapped here. */
    static final String OUTBOX = "outbox";
    /** Written by heartbeats; never captured. */
    static final String HEARTBEAT = "cdc_heartbeat";

    final String table;
    final List<String> keyColumns;
    final Topic<?> topic;
    final Function<Struct, ? extends SpecificRecord> mapping;
    /** The column naming the row's shop, for a topic partitioned by the shop of its values; null otherwise. */
    private final String shopColumn;

    CapturedTable(String table, String keyColumn, Topic<?> topic, Function<Struct, ? extends SpecificRecord> mapping) {
        this(table, keyColumn, topic, mapping, null);
    }

    CapturedTable(String table, String keyColumn, Topic<?> topic, Function<Struct, ? extends SpecificRecord> mapping,
            String shopColumn) {
        this.table = table;
        this.keyColumns = List.of(keyColumn.split("\\|"));
        this.topic = topic;
        this.mapping = mapping;
        if ((shopColumn != null) != (topic.keyPartitioning() == KeyPartitioning.BY_SHOP_OF_VALUE)) {
            throw new IllegalArgumentException(table + ": a table names its shop column exactly when its topic, "
                    + topic.name() + ", is partitioned by the shop of its values");
        }
        this.shopColumn = shopColumn;
    }

    /**
     * The partition of a row's record when its topic is partitioned by the shop of its values (a delivery goes to
     * its shop's orders partition; a deleted one's tombstone too, which is why that table's deletes carry the whole
     * row: REPLICA IDENTITY FULL); empty where the producer's partitioner places it by key.
     */
    Optional<Integer> partition(Struct row) {
        if (shopColumn == null) {
            return Optional.empty();
        }
        Object shop = row.get(shopColumn);
        if (shop == null) {
            throw new IllegalArgumentException("a row of " + table + " without its " + shopColumn + ", which places it");
        }
        return Optional.of(KeyPartitioning.ofShop(shop.toString(), topic.partitions()));
    }

    /** The record key of a row: its primary key's values, joined by {@code |}. */
    String key(Struct row) {
        List<String> values = new java.util.ArrayList<>();
        for (String column : keyColumns) {
            values.add(String.valueOf(row.get(column)));
        }
        return String.join("|", values);
    }

    static Optional<CapturedTable> named(String table) {
        return Arrays.stream(values()).filter(t -> t.table.equals(table)).findFirst();
    }

    /** Debezium's table.include.list: every mapped table and the outbox. */
    static String includeList() {
        List<String> tables = new java.util.ArrayList<>(Arrays.stream(values()).map(t -> SCHEMA + "." + t.table).toList());
        tables.add(SCHEMA + "." + OUTBOX);
        return String.join(",", tables);
    }
}

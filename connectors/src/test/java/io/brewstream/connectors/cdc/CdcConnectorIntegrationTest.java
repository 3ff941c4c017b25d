package io.brewstream.connectors.cdc;

import static io.brewstream.connectors.cdc.TopicReader.operation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.connectors.database.DatabaseSettings;
import io.brewstream.connectors.database.OperationalDatabase;
import io.brewstream.embedded.EmbeddedDatabase;
import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.WithdrawalFee;
import io.brewstream.schemas.backoffice.OutboxEvent;
import io.brewstream.schemas.common.DeadLetter;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.inventory.StockUnit;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.reference.Customer;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.KeyPartitioning;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.Topics;

/** The CDC connector against a real PostgreSQL (logical WAL), broker and registry. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class CdcConnectorIntegrationTest {
    private static final Logger log = LoggerFactory.getLogger(CdcConnectorIntegrationTest.class);
    private static final List<Topic<?>> CAPTURED = List.of(Topics.SHOPS, Topics.MENU_ITEMS, Topics.RECIPES,
            Topics.CUSTOMERS, Topics.STOCK_DELIVERIES, Topics.EXCHANGE_FEES, Topics.WITHDRAWAL_FEES, Topics.OUTBOX_PROMOTIONS,
            Topics.OUTBOX_SHOPS, Topics.DEAD_LETTERS);

    private static DatabaseSettings database;
    private static AvroSerdes serdes;
    private static String bootstrapServers;
    private static final List<String> slots = new ArrayList<>();
    private static final Map<Topic<?>, Deserializer<?>> deserializers = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp(EmbeddedInfrastructure infrastructure) {
        database = new DatabaseSettings(infrastructure.newDatabase("cdc"), EmbeddedDatabase.USER, "");
        OperationalDatabase.migrate(database);
        bootstrapServers = infrastructure.bootstrapServers();
        serdes = AvroSerdes.forRegistry(infrastructure.registryUrl());
        TopicProvisioner.ensureAll(bootstrapServers, 1);
    }

    @AfterAll
    static void dropSlots() throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            for (String slot : slots) {
                s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                        + " WHERE slot_name = '" + slot + "' AND NOT active");
            }
        }
    }

    @Test
    void rowsBecomeDomainRecordsUpdatesRaiseTheVersionAndDeletesBecomeTombstones(@TempDir Path dir) throws Exception {
        String id = suffix();
        sql("INSERT INTO shops (shop_id, name, city, address, latitude, longitude, currency, timezone, wallet_address)"
                + " VALUES ('shop-" + id + "', 'Mitte', 'Berlin', 'Rosenthaler Str. 40', 52.5286, 13.4019, 'EUR',"
                + " 'Europe/Berlin', '0x52908400098527886E0F7030069857D2E4169EE7')",
                "INSERT INTO menu_items (menu_item_id, name, category, currency, base_price_minor, min_price_minor,"
                        + " max_price_minor, sizes, options, size_price_deltas, option_prices) VALUES ('latte-" + id
                        + "', 'Caffè Latte', 'coffee', 'EUR', 380, 300, 570, '{SMALL,MEDIUM,LARGE}', '{oat}',"
                        + " '{\"SMALL\": -40, \"LARGE\": 60}', '{\"oat\": 50}')",
                "INSERT INTO recipes (menu_item_id, ingredients, size_percent, substitutions) VALUES ('latte-" + id + "',"
                        + " '[{\"ingredientId\": \"espresso-beans\", \"quantity\": 18, \"unit\": \"GRAM\"},"
                        + " {\"ingredientId\": \"milk-dairy\", \"quantity\": 200, \"unit\": \"MILLILITRE\"}]',"
                        + " '{\"SMALL\": 75, \"LARGE\": 150}',"
                        + " '[{\"option\": \"oat\", \"replacesIngredientId\": \"milk-dairy\", \"withIngredientId\": \"milk-oat\"}]')",
                "INSERT INTO customers (customer_id, display_name, email, created_at) VALUES ('cust-" + id
                        + "', 'Ada', 'ada@example.com', '2025-01-05T07:00:00Z')",
                "INSERT INTO stock_deliveries (delivery_id, shop_id, items, supplier, delivered_at) VALUES ('delivery-"
                        + id + "', 'shop-" + id + "', '[{\"ingredientId\": \"milk-oat\", \"quantity\": 10000,"
                        + " \"unit\": \"MILLILITRE\"}]', 'Oatly', '2026-01-05T07:00:00Z')",
                "INSERT INTO exchanges (exchange_id, name, taker_fee_bps, transfer_cost, taker_fee_tiers, volume_30d)"
                        + " VALUES ('exchange-" + id + "', 'Kraken', 26, 0.000500000000000000,"
                        + " '[{\"minVolume\": \"0\", \"takerFeeBasisPoints\": 26}, {\"minVolume\": 100000, \"takerFeeBasisPoints\": 20}]',"
                        + " 250000)",
                "INSERT INTO exchange_withdrawals (exchange_id, asset, network, fee, transfer_seconds) VALUES ('exchange-"
                        + id + "', 'ETH', 'arbitrum', 0.0002, 120)");

        try (TopicReader reader = TopicReader.fromBeginning(bootstrapServers, CAPTURED);
                CdcConnector connector = start(dir, "rows_" + id)) {
            awaitStreaming(connector);
            Shop shop = value(Topics.SHOPS, reader.await(Topics.SHOPS, "shop-" + id, operation("r")));
            assertThat(shop.getName()).isEqualTo("Mitte");
            assertThat(shop.getLocation().getLatitude()).isEqualTo(52.5286);
            assertThat(shop.getCurrency()).isEqualTo("EUR");
            assertThat(shop.getWalletAddress()).isEqualTo("0x52908400098527886E0F7030069857D2E4169EE7");
            assertThat(shop.getVersion()).isEqualTo(1);

            MenuItem latte = value(Topics.MENU_ITEMS, reader.await(Topics.MENU_ITEMS, "latte-" + id, operation("r")));
            assertThat(latte.getBasePrice().getAmountMinor()).isEqualTo(380);
            assertThat(latte.getMaxPrice().getAmountMinor()).isEqualTo(570);
            assertThat(latte.getSizes()).containsExactly(ItemSize.SMALL, ItemSize.MEDIUM, ItemSize.LARGE);
            assertThat(latte.getSizePriceDelta()).containsEntry("SMALL", -40L).containsEntry("LARGE", 60L);
            assertThat(latte.getOptionPrices()).containsEntry("oat", 50L);

            Recipe recipe = value(Topics.RECIPES, reader.await(Topics.RECIPES, "latte-" + id, operation("r")));
            assertThat(recipe.getIngredients()).extracting(i -> i.getIngredientId() + "=" + i.getQuantity() + i.getUnit())
                    .containsExactly("espresso-beans=18GRAM", "milk-dairy=200MILLILITRE");
            assertThat(recipe.getSizePercent()).containsEntry("LARGE", 150);
            assertThat(recipe.getSubstitutions().get(0).getWithIngredientId()).isEqualTo("milk-oat");

            Customer customer = value(Topics.CUSTOMERS, reader.await(Topics.CUSTOMERS, "cust-" + id, operation("r")));
            assertThat(customer.getCreatedAt()).isEqualTo(Instant.parse("2025-01-05T07:00:00Z"));
            assertThat(customer.getTelegramChatId()).isNull();

            ConsumerRecord<byte[], byte[]> delivered = reader.await(Topics.STOCK_DELIVERIES, "delivery-" + id, operation("r"));
            // in its shop's orders partition, though keyed by its own id: the orders task reads it there directly
            int shopPartition = KeyPartitioning.ofShop("shop-" + id, Topics.STOCK_DELIVERIES.partitions());
            assertThat(delivered.partition()).isEqualTo(shopPartition);
            StockDelivery delivery = value(Topics.STOCK_DELIVERIES, delivered);
            assertThat(delivery.getItems().get(0).getUnit()).isEqualTo(StockUnit.MILLILITRE);
            assertThat(delivery.getDeliveredAt()).isEqualTo(Instant.parse("2026-01-05T07:00:00Z"));

            ExchangeFees fees = value(Topics.EXCHANGE_FEES, reader.await(Topics.EXCHANGE_FEES, "exchange-" + id, operation("r")));
            assertThat(fees.getTakerFeeBasisPoints()).isEqualTo(26);
            assertThat(fees.getTransferCost()).isEqualByComparingTo(new BigDecimal("0.0005"));
            assertThat(fees.getTakerFeeTiers()).extracting(t -> t.getMinVolume().stripTrailingZeros().toPlainString() + "="
                    + t.getTakerFeeBasisPoints()).containsExactly("0=26", "100000=20");
            assertThat(fees.getVolume30d()).isEqualByComparingTo("250000");
            // a composite primary key becomes the record key, its columns joined by |
            WithdrawalFee withdrawal = value(Topics.WITHDRAWAL_FEES,
                    reader.await(Topics.WITHDRAWAL_FEES, "exchange-" + id + "|ETH|arbitrum", operation("r")));
            assertThat(withdrawal.getFee()).isEqualByComparingTo("0.0002");
            assertThat(withdrawal.getTransferSeconds()).isEqualTo(120);
            assertThat(withdrawal.getEnabled()).isTrue();
            sql("DELETE FROM exchange_withdrawals WHERE exchange_id = 'exchange-" + id + "'");
            assertThat(reader.await(Topics.WITHDRAWAL_FEES, "exchange-" + id + "|ETH|arbitrum", operation("d")).value()).isNull();

            sql("UPDATE menu_items SET base_price_minor = 420 WHERE menu_item_id = 'latte-" + id + "'");
            MenuItem repriced = value(Topics.MENU_ITEMS, reader.await(Topics.MENU_ITEMS, "latte-" + id, operation("u")));
            assertThat(repriced.getBasePrice().getAmountMinor()).isEqualTo(420);
            assertThat(repriced.getVersion()).isEqualTo(2);

            sql("DELETE FROM stock_deliveries WHERE delivery_id = 'delivery-" + id + "'");
            ConsumerRecord<byte[], byte[]> deliveryGone = reader.await(Topics.STOCK_DELIVERIES, "delivery-" + id, operation("d"));
            assertThat(deliveryGone.value()).isNull();
            assertThat(deliveryGone.partition()).as("the tombstone goes where the delivery is").isEqualTo(shopPartition);

            sql("DELETE FROM customers WHERE customer_id = 'cust-" + id + "'");
            ConsumerRecord<byte[], byte[]> tombstone = reader.await(Topics.CUSTOMERS, "cust-" + id, operation("d"));
            assertThat(tombstone.value()).isNull();
        }
    }

    @Test
    void theWholeSnapshotIsInKafkaWhenTheConnectorSaysItStreams(@TempDir Path dir) throws Exception {
        String id = suffix();
        int rows = 400;
        String[] inserts = new String[rows];
        for (int i = 0; i < rows; i++) {
            inserts[i] = customer("snap-" + id + "-" + i);
        }
        sql(inserts);
        try (TopicReader reader = TopicReader.fromBeginning(bootstrapServers, List.of(Topics.CUSTOMERS));
                CdcConnector connector = start(dir, "snapshot_" + id)) {
            awaitStreaming(connector);
            // no waiting for records here: what the topic holds at this moment must already be the whole table
            Set<String> inKafka = reader.readToTheEndAsOfNow().stream().map(TopicReader::key)
                    .filter(key -> key != null && key.startsWith("snap-" + id + "-")).collect(Collectors.toSet());
            assertThat(inKafka).hasSize(rows);
        }
    }

    @Test
    void anEmptyDatabaseHasNoSnapshotToWaitFor(EmbeddedInfrastructure infrastructure, @TempDir Path dir) throws Exception {
        DatabaseSettings empty = new DatabaseSettings(infrastructure.newDatabase("cdc_empty"), EmbeddedDatabase.USER, "");
        OperationalDatabase.migrate(empty);
        String name = "empty_" + suffix();
        try (CdcConnector connector = CdcConnector.start(CdcSettings.defaults(empty, name, dir.resolve("offsets.dat")),
                bootstrapServers, serdes, ChangeListener.NONE)) {
            awaitStreaming(connector);
        } finally {
            try (Connection c = empty.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                        + name + "' AND NOT active");
            }
        }
    }

    @Test
    void aRestartResumesWhereItStoppedWithoutASnapshotAndLosesNoChange(@TempDir Path dir) throws Exception {
        String id = suffix();
        String name = "restart_" + id;
        sql(customer("a-" + id), customer("b-" + id));
        try (TopicReader reader = TopicReader.fromBeginning(bootstrapServers, CAPTURED);
                CdcConnector connector = start(dir, name)) {
            awaitStreaming(connector);
            reader.await(Topics.CUSTOMERS, "a-" + id, operation("r"));
            reader.await(Topics.CUSTOMERS, "b-" + id, operation("r"));
            sql(customer("c-" + id));
            reader.await(Topics.CUSTOMERS, "c-" + id, operation("c"));
        }

        // while the connector is down
        sql(customer("d-" + id),
                "UPDATE customers SET display_name = 'Grace' WHERE customer_id = 'a-" + id + "'",
                "DELETE FROM customers WHERE customer_id = 'b-" + id + "'");

        try (TopicReader reader = TopicReader.fromNow(bootstrapServers, CAPTURED);
                CdcConnector connector = start(dir, name)) {
            awaitStreaming(connector);
            reader.await(Topics.CUSTOMERS, "d-" + id, operation("c"));
            Customer renamed = value(Topics.CUSTOMERS, reader.await(Topics.CUSTOMERS, "a-" + id, operation("u")));
            assertThat(renamed.getDisplayName()).isEqualTo("Grace");
            assertThat(reader.await(Topics.CUSTOMERS, "b-" + id, operation("d")).value()).isNull();
            sql(customer("e-" + id));
            reader.await(Topics.CUSTOMERS, "e-" + id, operation("c"));

            List<ConsumerRecord<byte[], byte[]>> afterRestart = reader.read().stream()
                    .filter(r -> TopicReader.key(r) != null && TopicReader.key(r).endsWith(id)).toList();
            assertThat(afterRestart).as("no snapshot reads after the restart").noneMatch(operation("r"));
            assertThat(afterRestart).as("c was written before the stop and is not sent again")
                    .noneMatch(r -> TopicReader.key(r).equals("c-" + id));
        }
    }

    @Test
    void outboxEventsGoToTheirAggregateTypesTopicAndUnknownTypesToDeadLetters(@TempDir Path dir) throws Exception {
        String id = suffix();
        UUID promotion = UUID.randomUUID();
        UUID invoice = UUID.randomUUID();
        try (TopicReader reader = TopicReader.fromNow(bootstrapServers, CAPTURED);
                CdcConnector connector = start(dir, "outbox_" + id)) {
            awaitStreaming(connector);
            // a back-office transaction: write the event and remove the row; the event is in the WAL
            sql("BEGIN",
                    "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) VALUES ('" + promotion
                            + "', 'promotion', 'promo-" + id + "', 'PromotionCreated',"
                            + " '{\"menuItemId\": \"latte\", \"percentOff\": 20}')",
                    "DELETE FROM outbox WHERE id = '" + promotion + "'",
                    "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) VALUES ('" + invoice
                            + "', 'invoice', 'inv-" + id + "', 'InvoiceSent', '{}')",
                    "COMMIT");

            OutboxEvent event = value(Topics.OUTBOX_PROMOTIONS,
                    reader.await(Topics.OUTBOX_PROMOTIONS, "promo-" + id, r -> true));
            assertThat(event.getEventId()).isEqualTo(promotion.toString());
            assertThat(event.getAggregateType()).isEqualTo("promotion");
            assertThat(event.getEventType()).isEqualTo("PromotionCreated");
            assertThat(event.getPayload()).contains("\"percentOff\"").contains("20");

            ConsumerRecord<byte[], byte[]> dead = reader.await(Topics.DEAD_LETTERS, "outbox.invoice", r -> true);
            DeadLetter letter = value(Topics.DEAD_LETTERS, dead);
            assertThat(letter.getReason()).contains("invoice");
            assertThat(reader.read()).as("the removal of the outbox row is no event")
                    .filteredOn(r -> r.topic().equals(Topics.OUTBOX_PROMOTIONS.name())).hasSize(1);
        }
    }

    @Test
    void measuresTheLatencyFromCommitToKafka(@TempDir Path dir) throws Exception {
        String id = suffix();
        List<Long> commitToAck = Collections.synchronizedList(new ArrayList<>());
        sql(customer("lat-" + id));
        try (TopicReader reader = TopicReader.fromNow(bootstrapServers, CAPTURED);
                CdcConnector connector = CdcConnector.start(CdcSettings.defaults(database, "latency_" + id,
                        dir.resolve("offsets.dat")), bootstrapServers, serdes,
                        (topic, latency) -> commitToAck.add(latency.toMillis()))) {
            slots.add("latency_" + id);
            awaitStreaming(connector);
            reader.await(Topics.CUSTOMERS, "lat-" + id, operation("r"));
            int changes = 100;
            for (int i = 1; i <= changes; i++) {
                sql("UPDATE customers SET chargebacks = " + i + " WHERE customer_id = 'lat-" + id + "'");
                int expected = i;
                reader.await(Topics.CUSTOMERS, "lat-" + id,
                        r -> r.value() != null && value(Topics.CUSTOMERS, r).getChargebacks() == expected);
            }
            assertThat(commitToAck).hasSize(changes);
            List<Long> sorted = commitToAck.stream().sorted().toList();
            log.info("CDC latency, commit to Kafka ack, {} changes: p50 {} ms, p99 {} ms, max {} ms", changes,
                    sorted.get(changes / 2), sorted.get(changes * 99 / 100 - 1), sorted.get(changes - 1));
        }
    }

    private static void awaitStreaming(CdcConnector connector) {
        await().atMost(Duration.ofSeconds(30)).until(connector::streaming);
    }

    private static CdcConnector start(Path dir, String name) {
        slots.add(name);
        return CdcConnector.start(CdcSettings.defaults(database, name, dir.resolve("offsets.dat")), bootstrapServers,
                serdes, ChangeListener.NONE);
    }

    private static String customer(String id) {
        return "INSERT INTO customers (customer_id, display_name) VALUES ('" + id + "', 'Customer " + id + "')";
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> V value(Topic<V> topic, ConsumerRecord<byte[], byte[]> record) {
        Deserializer<V> deserializer = (Deserializer<V>) deserializers.computeIfAbsent(topic,
                t -> topic.valueSerde(serdes).deserializer());
        return deserializer.deserialize(topic.name(), record.value());
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
    }
}

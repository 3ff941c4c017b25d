package io.brewstream.topologies.reference;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;

/**
 * Compacted reference topics (shops, menu items, recipes, current prices) read as global key-value stores that
 * processors look up by key; a tombstone removes the key. Every instance holds the whole table.
 */
public final class ReferenceTables {
    public static final String SHOPS = "reference-shops";
    public static final String MENU_ITEMS = "reference-menu-items";
    public static final String RECIPES = "reference-recipes";
    public static final String CURRENT_PRICES = "reference-current-prices";
    public static final String CUSTOMERS = "reference-customers";
    public static final String DENY_LIST = "reference-deny-list";
    /** Chat link codes not yet used, for the bots. */
    public static final String LINK_CODES = "reference-link-codes";
    /** Every shop's stock levels, for finding another shop that can serve an order. */
    public static final String ALL_STOCK_LEVELS = "reference-all-stock-levels";
    /** The venues' trading fees and transfer costs, keyed by exchange id, for arbitrage. */
    public static final String EXCHANGE_FEES = "reference-exchange-fees";
    /** Withdrawal fees and transfer times, keyed exchange|asset|network, for arbitrage. */
    public static final String WITHDRAWAL_FEES = "reference-withdrawal-fees";
    /** Exchange rates of crypto assets, keyed ASSET/CURRENCY, for pricing invoices. */
    public static final String EXCHANGE_RATES = "reference-exchange-rates";
    /** The chats that receive each shop's staff alerts, keyed shopId:chatKey. */
    public static final String STAFF_CHATS = "reference-staff-chats";

    private ReferenceTables() {
    }

    public static void addShops(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.SHOPS, SHOPS);
    }

    public static void addMenuItems(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.MENU_ITEMS, MENU_ITEMS);
    }

    public static void addRecipes(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.RECIPES, RECIPES);
    }

    public static void addCurrentPrices(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.PRICE_CHANGES, CURRENT_PRICES);
    }

    public static void addCustomers(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.CUSTOMERS, CUSTOMERS);
    }

    public static void addDenyList(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.DENY_LIST, DENY_LIST);
    }

    public static void addLinkCodes(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.LINK_CODES, LINK_CODES);
    }

    public static void addExchangeFees(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.EXCHANGE_FEES, EXCHANGE_FEES);
    }

    public static void addWithdrawalFees(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.WITHDRAWAL_FEES, WITHDRAWAL_FEES);
    }

    public static void addExchangeRates(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.EXCHANGE_RATES, EXCHANGE_RATES);
    }

    public static void addStaffChats(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.STAFF_CHATS, STAFF_CHATS);
    }

    public static void addAllStockLevels(StreamsBuilder builder, AvroSerdes serdes) {
        add(builder, serdes, Topics.STOCK_LEVELS, ALL_STOCK_LEVELS);
    }

    private static <V extends SpecificRecord> void add(StreamsBuilder builder, AvroSerdes serdes, Topic<V> topic,
            String storeName) {
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), topic.keySerde(),
                        topic.valueSerde(serdes)).withLoggingDisabled(),
                topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde(serdes)).withName("read-" + topic.name()),
                () -> new TableUpdater<>(storeName));
    }

    /** Keeps a global store equal to its compacted topic. */
    private static final class TableUpdater<V> implements Processor<String, V, Void, Void> {
        private final String storeName;
        private KeyValueStore<String, V> store;

        TableUpdater(String storeName) {
            this.storeName = storeName;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<String, V> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}

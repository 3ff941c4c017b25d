package io.brewstream.connectors.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

import org.apache.avro.Schema;

import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.WithdrawalFee;
import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.RecipeExtra;
import io.brewstream.schemas.inventory.RecipeSubstitution;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.reference.Customer;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;

/**
 * Writes domain records as rows of the operational database (inserting or updating by primary key), as a
 * back-office application would; the CDC connector maps them back. Used to seed the demo chain.
 */
public final class ReferenceRows {
    private final Connection connection;

    public ReferenceRows(Connection connection) {
        this.connection = connection;
    }

    public void upsert(Shop shop) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                INSERT INTO shops (shop_id, name, city, address, latitude, longitude, currency, timezone, wallet_address, open)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (shop_id) DO UPDATE SET name = excluded.name, city = excluded.city,
                    address = excluded.address, latitude = excluded.latitude, longitude = excluded.longitude,
                    currency = excluded.currency, timezone = excluded.timezone,
                    wallet_address = excluded.wallet_address, open = excluded.open""")) {
            s.setString(1, shop.getShopId());
            s.setString(2, shop.getName());
            s.setString(3, shop.getCity());
            s.setString(4, shop.getAddress());
            s.setDouble(5, shop.getLocation().getLatitude());
            s.setDouble(6, shop.getLocation().getLongitude());
            s.setString(7, shop.getCurrency());
            s.setString(8, shop.getTimezone());
            s.setString(9, shop.getWalletAddress());
            s.setBoolean(10, shop.getOpen());
            s.executeUpdate();
        }
    }

    public void upsert(MenuItem item) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                INSERT INTO menu_items (menu_item_id, name, category, currency, base_price_minor, min_price_minor,
                    max_price_minor, sizes, options, size_price_deltas, option_prices, available)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)
                ON CONFLICT (menu_item_id) DO UPDATE SET name = excluded.name, category = excluded.category,
                    currency = excluded.currency, base_price_minor = excluded.base_price_minor,
                    min_price_minor = excluded.min_price_minor, max_price_minor = excluded.max_price_minor,
                    sizes = excluded.sizes, options = excluded.options,
                    size_price_deltas = excluded.size_price_deltas, option_prices = excluded.option_prices,
                    available = excluded.available""")) {
            s.setString(1, item.getMenuItemId());
            s.setString(2, item.getName());
            s.setString(3, item.getCategory());
            s.setString(4, item.getBasePrice().getCurrency());
            s.setLong(5, item.getBasePrice().getAmountMinor());
            s.setLong(6, item.getMinPrice().getAmountMinor());
            s.setLong(7, item.getMaxPrice().getAmountMinor());
            s.setArray(8, textArray(item.getSizes().stream().map(Enum::name).toList()));
            s.setArray(9, textArray(item.getOptions()));
            s.setString(10, JsonColumns.writeMap(Schema.Type.LONG, item.getSizePriceDelta()));
            s.setString(11, JsonColumns.writeMap(Schema.Type.LONG, item.getOptionPrices()));
            s.setBoolean(12, item.getAvailable());
            s.executeUpdate();
        }
    }

    public void upsert(Recipe recipe) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                INSERT INTO recipes (menu_item_id, ingredients, size_percent, substitutions, extras)
                VALUES (?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb)
                ON CONFLICT (menu_item_id) DO UPDATE SET ingredients = excluded.ingredients,
                    size_percent = excluded.size_percent, substitutions = excluded.substitutions,
                    extras = excluded.extras""")) {
            s.setString(1, recipe.getMenuItemId());
            s.setString(2, JsonColumns.writeList(IngredientQuantity.getClassSchema(), recipe.getIngredients()));
            s.setString(3, JsonColumns.writeMap(Schema.Type.INT, recipe.getSizePercent()));
            s.setString(4, JsonColumns.writeList(RecipeSubstitution.getClassSchema(), recipe.getSubstitutions()));
            s.setString(5, JsonColumns.writeList(RecipeExtra.getClassSchema(), recipe.getExtras()));
            s.executeUpdate();
        }
    }

    public void upsert(Customer customer) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                INSERT INTO customers (customer_id, display_name, email, telegram_chat_id, created_at, chargebacks)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (customer_id) DO UPDATE SET display_name = excluded.display_name,
                    email = excluded.email, telegram_chat_id = excluded.telegram_chat_id,
                    created_at = excluded.created_at, chargebacks = excluded.chargebacks""")) {
            s.setString(1, customer.getCustomerId());
            s.setString(2, customer.getDisplayName());
            s.setString(3, customer.getEmail());
            if (customer.getTelegramChatId() == null) {
                s.setNull(4, Types.BIGINT);
            } else {
                s.setLong(4, customer.getTelegramChatId());
            }
            s.setTimestamp(5, Timestamp.from(customer.getCreatedAt()));
            s.setInt(6, customer.getChargebacks());
            s.executeUpdate();
        }
    }

    /** A delivery is written once; writing it again changes nothing. */
    public void insert(StockDelivery delivery) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                INSERT INTO stock_deliveries (delivery_id, shop_id, items, supplier, delivered_at)
                VALUES (?, ?, ?::jsonb, ?, ?) ON CONFLICT (delivery_id) DO NOTHING""")) {
            s.setString(1, delivery.getDeliveryId());
            s.setString(2, delivery.getShopId());
            s.setString(3, JsonColumns.writeList(IngredientQuantity.getClassSchema(), delivery.getItems()));
            s.setString(4, delivery.getSupplier());
            s.setTimestamp(5, Timestamp.from(delivery.getDeliveredAt()));
            s.executeUpdate();
        }
    }

    public void upsert(ExchangeFees exchange, String displayName) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                INSERT INTO exchanges (exchange_id, name, taker_fee_bps, transfer_cost, enabled, taker_fee_tiers, volume_30d)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (exchange_id) DO UPDATE SET name = excluded.name, taker_fee_bps = excluded.taker_fee_bps,
                    transfer_cost = excluded.transfer_cost, enabled = excluded.enabled,
                    taker_fee_tiers = excluded.taker_fee_tiers, volume_30d = excluded.volume_30d""")) {
            s.setString(1, exchange.getExchange());
            s.setString(2, displayName);
            s.setInt(3, exchange.getTakerFeeBasisPoints());
            s.setBigDecimal(4, exchange.getTransferCost());
            s.setBoolean(5, exchange.getEnabled());
            s.setString(6, FeeTiersColumn.write(exchange.getTakerFeeTiers()));
            s.setBigDecimal(7, exchange.getVolume30d());
            s.executeUpdate();
        }
    }

    public void upsert(WithdrawalFee withdrawal) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                INSERT INTO exchange_withdrawals (exchange_id, asset, network, fee, transfer_seconds, enabled)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (exchange_id, asset, network) DO UPDATE SET fee = excluded.fee,
                    transfer_seconds = excluded.transfer_seconds, enabled = excluded.enabled""")) {
            s.setString(1, withdrawal.getExchange());
            s.setString(2, withdrawal.getAsset());
            s.setString(3, withdrawal.getNetwork());
            s.setBigDecimal(4, withdrawal.getFee());
            s.setInt(5, withdrawal.getTransferSeconds());
            s.setBoolean(6, withdrawal.getEnabled());
            s.executeUpdate();
        }
    }

    /** Whether the shops table has any row, i.e. whether the chain was seeded already. */
    public boolean hasShops() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM shops)");
                var rows = s.executeQuery()) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    private java.sql.Array textArray(List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}

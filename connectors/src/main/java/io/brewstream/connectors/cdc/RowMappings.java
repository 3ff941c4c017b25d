package io.brewstream.connectors.cdc;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.kafka.connect.data.Struct;

import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.WithdrawalFee;
import io.brewstream.schemas.common.GeoPoint;
import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.RecipeExtra;
import io.brewstream.schemas.inventory.RecipeSubstitution;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.connectors.database.FeeTiersColumn;
import io.brewstream.connectors.database.JsonColumns;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.reference.Customer;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;

/**
 * Rows of the operational database, as Debezium captures them (timestamps and decimals as strings, JSONB as
 * text), turned into the domain records of the reference topics.
 */
final class RowMappings {
    private static final int TRANSFER_COST_SCALE = ((LogicalTypes.Decimal) ExchangeFees.getClassSchema()
            .getField("transferCost").schema().getLogicalType()).getScale();

    private RowMappings() {
    }

    static Shop shop(Struct row) {
        return Shop.newBuilder()
                .setShopId(row.getString("shop_id"))
                .setName(row.getString("name"))
                .setCity(row.getString("city"))
                .setAddress(row.getString("address"))
                .setLocation(GeoPoint.newBuilder().setLatitude(row.getFloat64("latitude"))
                        .setLongitude(row.getFloat64("longitude")).build())
                .setCurrency(row.getString("currency").trim())
                .setTimezone(row.getString("timezone"))
                .setWalletAddress(row.getString("wallet_address"))
                .setOpen(row.getBoolean("open"))
                .setVersion(row.getInt64("version"))
                .build();
    }

    static MenuItem menuItem(Struct row) {
        String currency = row.getString("currency").trim();
        return MenuItem.newBuilder()
                .setMenuItemId(row.getString("menu_item_id"))
                .setName(row.getString("name"))
                .setCategory(row.getString("category"))
                .setBasePrice(Amounts.of(row.getInt64("base_price_minor"), currency))
                .setMinPrice(Amounts.of(row.getInt64("min_price_minor"), currency))
                .setMaxPrice(Amounts.of(row.getInt64("max_price_minor"), currency))
                .setSizes(row.<String>getArray("sizes").stream().map(ItemSize::valueOf).toList())
                .setOptions(List.copyOf(row.<String>getArray("options")))
                .setSizePriceDelta(JsonColumns.readMap(Schema.Type.LONG, row.getString("size_price_deltas")))
                .setOptionPrices(JsonColumns.readMap(Schema.Type.LONG, row.getString("option_prices")))
                .setAvailable(row.getBoolean("available"))
                .setVersion(row.getInt64("version"))
                .build();
    }

    static Recipe recipe(Struct row) {
        return Recipe.newBuilder()
                .setMenuItemId(row.getString("menu_item_id"))
                .setIngredients(JsonColumns.readList(IngredientQuantity.getClassSchema(), row.getString("ingredients")))
                .setSizePercent(JsonColumns.readMap(Schema.Type.INT, row.getString("size_percent")))
                .setSubstitutions(JsonColumns.readList(RecipeSubstitution.getClassSchema(), row.getString("substitutions")))
                .setExtras(JsonColumns.readList(RecipeExtra.getClassSchema(), row.getString("extras")))
                .setVersion(row.getInt64("version"))
                .build();
    }

    static Customer customer(Struct row) {
        return Customer.newBuilder()
                .setCustomerId(row.getString("customer_id"))
                .setDisplayName(row.getString("display_name"))
                .setEmail(row.getString("email"))
                .setTelegramChatId(row.getInt64("telegram_chat_id"))
                .setCreatedAt(instant(row.getString("created_at")))
                .setChargebacks(row.getInt32("chargebacks"))
                .setVersion(row.getInt64("version"))
                .build();
    }

    static StockDelivery delivery(Struct row) {
        return StockDelivery.newBuilder()
                .setDeliveryId(row.getString("delivery_id"))
                .setShopId(row.getString("shop_id"))
                .setItems(JsonColumns.readList(IngredientQuantity.getClassSchema(), row.getString("items")))
                .setSupplier(row.getString("supplier"))
                .setDeliveredAt(instant(row.getString("delivered_at")))
                .build();
    }

    static ExchangeFees exchange(Struct row) {
        return ExchangeFees.newBuilder()
                .setExchange(row.getString("exchange_id"))
                .setTakerFeeBasisPoints(row.getInt32("taker_fee_bps"))
                .setTransferCost(new BigDecimal(row.getString("transfer_cost")).setScale(TRANSFER_COST_SCALE))
                .setEnabled(row.getBoolean("enabled"))
                .setTakerFeeTiers(FeeTiersColumn.read(row.getString("taker_fee_tiers")))
                .setVolume30d(row.getString("volume_30d") == null ? null
                        : new BigDecimal(row.getString("volume_30d")).setScale(TRANSFER_COST_SCALE))
                .build();
    }

    static WithdrawalFee withdrawal(Struct row) {
        return WithdrawalFee.newBuilder()
                .setExchange(row.getString("exchange_id"))
                .setAsset(row.getString("asset"))
                .setNetwork(row.getString("network"))
                .setFee(new BigDecimal(row.getString("fee")).setScale(TRANSFER_COST_SCALE))
                .setTransferSeconds(row.getInt32("transfer_seconds"))
                .setEnabled(row.getBoolean("enabled"))
                .build();
    }

    /** Debezium's ZonedTimestamp: an ISO-8601 instant with offset. */
    static Instant instant(String zonedTimestamp) {
        return OffsetDateTime.parse(zonedTimestamp).toInstant();
    }
}

package io.brewstream.topologies.reference;

import java.time.Instant;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.FeeTier;
import io.brewstream.schemas.arbitrage.WithdrawalFee;
import io.brewstream.schemas.common.GeoPoint;
import io.brewstream.schemas.inventory.IngredientQuantity;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.RecipeExtra;
import io.brewstream.schemas.inventory.RecipeSubstitution;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.inventory.StockUnit;
import io.brewstream.schemas.money.Amounts;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.reference.Customer;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;

/**
 * The demo chain: three shops in Berlin, a real coffee menu and its recipes, and an opening delivery per shop.
 * The standalone stack writes it into the operational database (whence CDC streams it to the reference topics);
 * topology tests pipe it in directly.
 */
public final class DemoData {
    public static final String MITTE = "berlin-mitte";
    public static final String KREUZBERG = "berlin-kreuzberg";
    public static final String PRENZLAUER_BERG = "berlin-prenzlauer-berg";
    private static final Instant OPENING = Instant.parse("2026-01-05T07:00:00Z");
    private static final List<ItemSize> ALL_SIZES = List.of(ItemSize.SMALL, ItemSize.MEDIUM, ItemSize.LARGE);
    private static final Map<String, Long> SIZE_DELTAS = Map.of("SMALL", -40L, "LARGE", 60L);
    private static final Map<String, Integer> SIZE_PERCENT = Map.of("SMALL", 75, "MEDIUM", 100, "LARGE", 150);

    private DemoData() {
    }

    public static List<Shop> shops() {
        return List.of(
                shop(MITTE, "brewstream Mitte", "Rosenthaler Str. 40", 52.5286, 13.4019),
                shop(KREUZBERG, "brewstream Kreuzberg", "Oranienstr. 165", 52.5013, 13.4186),
                shop(PRENZLAUER_BERG, "brewstream Prenzlauer Berg", "Kastanienallee 12", 52.5382, 13.4097));
    }

    public static List<MenuItem> menu() {
        return List.of(
                drink("espresso", "Espresso", 250, List.of(ItemSize.SMALL, ItemSize.MEDIUM), Map.of("SMALL", -30L), List.of("extra-shot")),
                drink("americano", "Americano", 300, ALL_SIZES, SIZE_DELTAS, List.of("extra-shot")),
                drink("cappuccino", "Cappuccino", 360, ALL_SIZES, SIZE_DELTAS, List.of("oat", "extra-shot")),
                drink("latte", "Caffè Latte", 380, ALL_SIZES, SIZE_DELTAS, List.of("oat", "extra-shot", "vanilla")),
                drink("flat-white", "Flat White", 390, List.of(ItemSize.MEDIUM), Map.of(), List.of("oat", "extra-shot")),
                drink("mocha", "Mocha", 420, ALL_SIZES, SIZE_DELTAS, List.of("oat", "extra-shot")),
                drink("chai-latte", "Chai Latte", 400, ALL_SIZES, SIZE_DELTAS, List.of("oat")),
                MenuItem.newBuilder().setMenuItemId("croissant").setName("Butter Croissant").setCategory("pastry")
                        .setBasePrice(eur(280)).setMinPrice(eur(200)).setMaxPrice(eur(380)).build());
    }

    public static List<Recipe> recipes() {
        return List.of(
                recipe("espresso", List.of(g("espresso-beans", 18))),
                recipe("americano", List.of(g("espresso-beans", 18))),
                recipe("cappuccino", List.of(g("espresso-beans", 18), ml("milk-dairy", 120))),
                recipe("latte", List.of(g("espresso-beans", 18), ml("milk-dairy", 200))),
                recipe("flat-white", List.of(g("espresso-beans", 36), ml("milk-dairy", 110))),
                recipe("mocha", List.of(g("espresso-beans", 18), ml("milk-dairy", 180), ml("chocolate-sauce", 30))),
                recipe("chai-latte", List.of(ml("chai-concentrate", 60), ml("milk-dairy", 180))),
                Recipe.newBuilder().setMenuItemId("croissant").setIngredients(List.of(pcs("croissant", 1))).build());
    }

    /** A few regular customers, with accounts a year old. */
    public static List<Customer> customers() {
        Instant joined = OPENING.minus(java.time.Duration.ofDays(365));
        return List.of(
                Customer.newBuilder().setCustomerId("cust-42").setDisplayName("Ada").setEmail("ada@example.com")
                        .setCreatedAt(joined).build(),
                Customer.newBuilder().setCustomerId("cust-7").setDisplayName("Grace").setCreatedAt(joined).build(),
                Customer.newBuilder().setCustomerId("cust-1").setDisplayName("Linus").setCreatedAt(joined).build());
    }

    /**
     * Crypto exchanges the arbitrage topology compares: a flat taker fee, a schedule falling with the chain's 30-day
     * volume there, and the cost of a transfer out in the quote currency.
     */
    public static List<ExchangeFees> exchanges() {
        return List.of(
                exchange("kraken", 26, "0.00015", "250000", tier("0", 26), tier("100000", 20), tier("1000000", 14)),
                exchange("coinbase", 60, "0.00010", "40000", tier("0", 60), tier("10000", 40), tier("50000", 25)),
                exchange("bitstamp", 40, "0.00020", null, tier("0", 40), tier("10000", 30), tier("100000", 20)));
    }

    /** What withdrawing ETH and BTC from each demo exchange costs (in the asset) and takes. */
    public static List<WithdrawalFee> withdrawals() {
        return List.of(
                withdrawal("kraken", "ETH", "ethereum", "0.0025", 300), withdrawal("kraken", "ETH", "arbitrum", "0.0002", 120),
                withdrawal("kraken", "BTC", "bitcoin", "0.00002", 3600),
                withdrawal("coinbase", "ETH", "ethereum", "0.0015", 300), withdrawal("coinbase", "ETH", "base", "0.0001", 60),
                withdrawal("coinbase", "BTC", "bitcoin", "0.00005", 3600),
                withdrawal("bitstamp", "ETH", "ethereum", "0.0030", 300), withdrawal("bitstamp", "BTC", "bitcoin", "0.00004", 3600));
    }

    private static ExchangeFees exchange(String id, int takerFeeBasisPoints, String transferCost, String volume30d,
            FeeTier... tiers) {
        return ExchangeFees.newBuilder().setExchange(id).setTakerFeeBasisPoints(takerFeeBasisPoints)
                .setTransferCost(new BigDecimal(transferCost).setScale(18)).setTakerFeeTiers(List.of(tiers))
                .setVolume30d(volume30d == null ? null : new BigDecimal(volume30d).setScale(18)).build();
    }

    private static FeeTier tier(String minVolume, int basisPoints) {
        return FeeTier.newBuilder().setMinVolume(new BigDecimal(minVolume).setScale(18)).setTakerFeeBasisPoints(basisPoints)
                .build();
    }

    private static WithdrawalFee withdrawal(String exchange, String asset, String network, String fee, int seconds) {
        return WithdrawalFee.newBuilder().setExchange(exchange).setAsset(asset).setNetwork(network)
                .setFee(new BigDecimal(fee).setScale(18)).setTransferSeconds(seconds).build();
    }

    /** An opening delivery for each shop. */
    public static List<StockDelivery> openingDeliveries() {
        List<StockDelivery> deliveries = new ArrayList<>();
        for (Shop shop : shops()) {
            deliveries.add(StockDelivery.newBuilder()
                    .setDeliveryId("opening-" + shop.getShopId())
                    .setShopId(shop.getShopId())
                    .setItems(List.of(g("espresso-beans", 5_000), ml("milk-dairy", 20_000), ml("milk-oat", 10_000),
                            ml("chocolate-sauce", 2_000), ml("chai-concentrate", 3_000), ml("vanilla-syrup", 1_000),
                            pcs("croissant", 40)))
                    .setSupplier("Demo Wholesale")
                    .setDeliveredAt(OPENING)
                    .build());
        }
        return deliveries;
    }

    private static Shop shop(String id, String name, String address, double lat, double lon) {
        return Shop.newBuilder().setShopId(id).setName(name).setCity("Berlin").setAddress(address)
                .setLocation(GeoPoint.newBuilder().setLatitude(lat).setLongitude(lon).build())
                .setCurrency("EUR").setTimezone("Europe/Berlin").build();
    }

    private static MenuItem drink(String id, String name, long basePrice, List<ItemSize> sizes, Map<String, Long> sizeDeltas,
            List<String> options) {
        Map<String, Long> optionPrices = new java.util.HashMap<>();
        options.forEach(o -> optionPrices.put(o, o.equals("oat") ? 50L : 60L));
        return MenuItem.newBuilder().setMenuItemId(id).setName(name).setCategory("coffee")
                .setBasePrice(eur(basePrice)).setMinPrice(eur(basePrice * 8 / 10)).setMaxPrice(eur(basePrice * 15 / 10))
                .setSizes(sizes).setSizePriceDelta(sizeDeltas).setOptions(options).setOptionPrices(optionPrices).build();
    }

    private static Recipe recipe(String menuItemId, List<IngredientQuantity> ingredients) {
        return Recipe.newBuilder().setMenuItemId(menuItemId).setIngredients(ingredients).setSizePercent(SIZE_PERCENT)
                .setSubstitutions(List.of(RecipeSubstitution.newBuilder().setOption("oat")
                        .setReplacesIngredientId("milk-dairy").setWithIngredientId("milk-oat").build()))
                .setExtras(List.of(
                        RecipeExtra.newBuilder().setOption("extra-shot").setAdds(g("espresso-beans", 18)).build(),
                        RecipeExtra.newBuilder().setOption("vanilla").setAdds(ml("vanilla-syrup", 20)).build()))
                .build();
    }

    private static io.brewstream.schemas.common.Money eur(long cents) {
        return Amounts.of(cents, "EUR");
    }

    public static IngredientQuantity g(String id, long grams) {
        return quantity(id, grams, StockUnit.GRAM);
    }

    public static IngredientQuantity ml(String id, long millilitres) {
        return quantity(id, millilitres, StockUnit.MILLILITRE);
    }

    public static IngredientQuantity pcs(String id, long pieces) {
        return quantity(id, pieces, StockUnit.PIECE);
    }

    private static IngredientQuantity quantity(String id, long amount, StockUnit unit) {
        return IngredientQuantity.newBuilder().setIngredientId(id).setQuantity(amount).setUnit(unit).build();
    }
}

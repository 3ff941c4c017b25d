package io.brewstream.topologies.pricing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.pricing.PricingSignal;
import io.brewstream.schemas.pricing.PricingState;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.topologies.reference.ReferenceTables;

/**
 * Keeps each item's pricing inputs per shop and re-prices it on every signal and on every clock tick (happy
 * hours begin and end, demand fades, a new base price arrives); emits each change and keeps it in the history.
 */
final class DynamicPricer implements Processor<String, PricingSignal, String, PriceChange> {
    private final PricingSettings settings;
    private final PriceRules rules;
    private ProcessorContext<String, PriceChange> context;
    private KeyValueStore<String, PricingState> prices;
    private WindowStore<String, PriceChange> history;
    private KeyValueStore<String, MenuItem> menu;
    private KeyValueStore<String, Shop> shops;

    DynamicPricer(PricingSettings settings) {
        this.settings = settings;
        this.rules = new PriceRules(settings);
    }

    @Override
    public void init(ProcessorContext<String, PriceChange> context) {
        this.context = context;
        prices = context.getStateStore(PricingStores.PRICES);
        history = context.getStateStore(PricingStores.PRICE_HISTORY);
        menu = context.getStateStore(ReferenceTables.MENU_ITEMS);
        shops = context.getStateStore(ReferenceTables.SHOPS);
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::onTick);
    }

    @Override
    public void process(Record<String, PricingSignal> record) {
        PricingSignal signal = record.value();
        if (signal == null) {
            return;
        }
        PricingState state = prices.get(record.key());
        if (state == null) {
            state = PricingState.newBuilder().setShopId(signal.getShopId()).setMenuItemId(signal.getMenuItemId())
                    .setDemandByMinute(new HashMap<>()).setStockPercentByIngredient(new HashMap<>()).build();
        } else {
            state = PricingState.newBuilder(state)
                    .setDemandByMinute(new HashMap<>(state.getDemandByMinute()))
                    .setStockPercentByIngredient(new HashMap<>(state.getStockPercentByIngredient())).build();
        }
        Instant now = now();
        switch (signal.getKind()) {
            case DEMAND:
                state.getDemandByMinute().merge(String.valueOf(signal.getAt().getEpochSecond() / 60), signal.getQuantity(), Long::sum);
                break;
            case STOCK:
                state.getStockPercentByIngredient().put(signal.getIngredientId(), signal.getStockPercent());
                break;
            default:
                break;
        }
        reprice(record.key(), state, now, true);
    }

    private void onTick(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        List<KeyValue<String, PricingState>> all = new ArrayList<>();
        try (KeyValueIterator<String, PricingState> it = prices.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, PricingState> entry : all) {
            PricingState state = PricingState.newBuilder(entry.value)
                    .setDemandByMinute(new HashMap<>(entry.value.getDemandByMinute())).build();
            reprice(entry.key, state, now, false);
        }
    }

    /** Re-prices one item; writes the state back only when something in it changed (ticks touch every key). */
    private void reprice(String key, PricingState state, Instant now, boolean inputChanged) {
        boolean changed = rules.forgetOldDemand(state, now) | inputChanged;
        MenuItem item = menu.get(state.getMenuItemId());
        if (item != null) {
            var change = rules.decide(state, item, shops.get(state.getShopId()), now);
            if (change.isPresent()) {
                state.setCurrent(change.get());
                history.put(key, change.get(), now.toEpochMilli());
                context.forward(new Record<>(key, change.get(), now.toEpochMilli()));
                changed = true;
            }
        }
        if (changed) {
            prices.put(key, state);
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}

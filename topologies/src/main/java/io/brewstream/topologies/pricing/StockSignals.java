package io.brewstream.topologies.pricing;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.pricing.PricingSignal;
import io.brewstream.schemas.pricing.PricingSignalKind;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.reference.ReferenceTables;

/**
 * Turns a change of one ingredient's stock at a shop into a signal for every item whose recipe uses it, when the
 * change can move a price: every percent up to the surplus level counts, everything above it is one "plenty". Other
 * changes (a reservation from a large stock) send nothing, since every signal is a repartitioned record and a
 * re-pricing of each item; the percent the pricer shows is then the one of the last signal.
 */
final class StockSignals implements Processor<String, StockLevel, String, PricingSignal> {
    private final PricingSettings settings;
    private ProcessorContext<String, PricingSignal> context;
    private KeyValueStore<String, Recipe> recipes;
    private KeyValueStore<String, Integer> signalled;

    StockSignals(PricingSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, PricingSignal> context) {
        this.context = context;
        recipes = context.getStateStore(ReferenceTables.RECIPES);
        signalled = context.getStateStore(PricingStores.STOCK_PERCENT_SIGNALLED);
    }

    @Override
    public void process(Record<String, StockLevel> record) {
        StockLevel level = record.value();
        if (level == null || level.getLowStockThreshold() <= 0) {
            return;
        }
        int percent = (int) Math.min(Integer.MAX_VALUE,
                (level.getOnHand() - level.getReserved()) * 100 / level.getLowStockThreshold());
        String shopIngredient = Keys.shopIngredient(level.getShopId(), level.getIngredientId());
        int pricingLevel = Math.min(percent, settings.surplusPercent() + 1);
        Integer last = signalled.get(shopIngredient);
        if (last != null && last == pricingLevel) {
            return;
        }
        signalled.put(shopIngredient, pricingLevel);
        try (KeyValueIterator<String, Recipe> all = recipes.all()) {
            all.forEachRemaining(kv -> {
                boolean uses = kv.value.getIngredients().stream()
                        .anyMatch(i -> i.getIngredientId().equals(level.getIngredientId()));
                if (uses) {
                    PricingSignal signal = PricingSignal.newBuilder().setShopId(level.getShopId())
                            .setMenuItemId(kv.key).setKind(PricingSignalKind.STOCK)
                            .setIngredientId(level.getIngredientId()).setStockPercent(percent)
                            .setAt(level.getUpdatedAt()).build();
                    context.forward(record.withKey(Keys.shopItem(level.getShopId(), kv.key)).withValue(signal));
                }
            });
        }
    }
}

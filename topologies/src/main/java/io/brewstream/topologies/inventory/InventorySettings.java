package io.brewstream.topologies.inventory;

import java.util.Map;

import io.brewstream.schemas.inventory.StockUnit;

/**
 * @param defaultThresholds  low-stock threshold per unit, for ingredients without their own
 * @param thresholds         low-stock threshold per ingredient id
 */
public record InventorySettings(Map<StockUnit, Long> defaultThresholds, Map<String, Long> thresholds) {
    public static InventorySettings defaults() {
        return new InventorySettings(Map.of(StockUnit.MILLILITRE, 2_000L, StockUnit.GRAM, 500L, StockUnit.PIECE, 10L),
                Map.of());
    }

    long thresholdFor(String ingredientId, StockUnit unit) {
        return thresholds.getOrDefault(ingredientId, defaultThresholds.getOrDefault(unit, 0L));
    }
}

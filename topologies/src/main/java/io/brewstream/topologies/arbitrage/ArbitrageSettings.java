package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * How opportunities are found and reported.
 *
 * @param thresholdBasisPoints  edge after fees and transfer cost an opportunity must clear to open, by pair
 * @param defaultThreshold      the threshold of pairs not listed
 * @param hysteresisBasisPoints an open opportunity stays open down to the threshold minus this, so an edge
 *                              flickering around the threshold does not flood
 * @param updateStepBasisPoints an open opportunity is UPDATED when its edge moves by at least this
 * @param updateStepPercent     or its size by at least this percentage
 * @param maxBookAge            a venue whose newest update is older than this takes no part
 * @param minLot                the smallest base amount a venue fills, and the step sizes are rounded down to
 */
public record ArbitrageSettings(Map<String, Integer> thresholdBasisPoints, int defaultThreshold,
        int hysteresisBasisPoints, int updateStepBasisPoints, int updateStepPercent, Duration maxBookAge,
        BigDecimal minLot) {

    public static ArbitrageSettings defaults() {
        return new ArbitrageSettings(Map.of(), 20, 10, 5, 10, Duration.ofSeconds(2), new BigDecimal("0.001"));
    }

    int threshold(String pair) {
        return thresholdBasisPoints.getOrDefault(pair, defaultThreshold);
    }
}

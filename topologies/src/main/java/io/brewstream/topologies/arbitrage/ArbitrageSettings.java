package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How opportunities are found and reported.
 *
 * @param thresholdBasisPoints  edge after fees and transfer cost an opportunity must clear to open, by pair (or by
 *                              cycle label, e.g. USDC>ETH>BTC>USDC)
 * @param defaultThreshold      the threshold of pairs and cycles not listed
 * @param hysteresisBasisPoints an open opportunity stays open down to the threshold minus this, so an edge
 *                              flickering around the threshold does not flood
 * @param updateStepBasisPoints an open opportunity is UPDATED when its edge falls by at least this (or rises by
 *                              twice this)
 * @param updateStepPercent     or its size shrinks by at least this percentage (or grows by twice this)
 * @param maxBookAge            a venue whose newest update is older than this takes no part
 * @param minLot                the lot of a venue's pair when its snapshots state none
 * @param maxTransferTime       a cross-venue opportunity needs a withdrawal route at most this slow
 * @param startAssets           the assets triangular cycles start and end in, in order of preference
 * @param maxCycleLegs          the longest triangular cycle looked for (3 or 4)
 * @param historyEvents         the events kept per opportunity for its history read
 * @param historyRetention      how long a closed opportunity's history stays readable
 * @param streamThreads         stream threads of the arbitrage application; 0: as many as every application has
 */
public record ArbitrageSettings(Map<String, Integer> thresholdBasisPoints, int defaultThreshold,
        int hysteresisBasisPoints, int updateStepBasisPoints, int updateStepPercent, Duration maxBookAge,
        BigDecimal minLot, Duration maxTransferTime, List<String> startAssets, int maxCycleLegs, int historyEvents,
        Duration historyRetention, int streamThreads) {

    public ArbitrageSettings {
        if (maxCycleLegs < 3 || maxCycleLegs > 4) {
            throw new IllegalArgumentException("a triangular cycle has 3 or 4 legs, not " + maxCycleLegs);
        }
        if (minLot.signum() <= 0) {
            throw new IllegalArgumentException("the minimum lot must be positive, not " + minLot);
        }
        if (streamThreads < 0) {
            throw new IllegalArgumentException("stream threads are 0 (as every application) or more, not " + streamThreads);
        }
        if (historyEvents < 2) {
            throw new IllegalArgumentException("an opportunity's history keeps at least its first and last event");
        }
        thresholdBasisPoints = Map.copyOf(thresholdBasisPoints);
        startAssets = List.copyOf(startAssets);
    }

    public static ArbitrageSettings defaults() {
        return new ArbitrageSettings(Map.of(), 20, 10, 5, 10, Duration.ofSeconds(2), new BigDecimal("0.001"),
                Duration.ofMinutes(15), List.of("USDC", "USDT", "USD"), 4, 100, Duration.ofHours(1), 0);
    }

    /** The defaults with these thresholds, book age bound and default lot (what most tests vary). */
    public static ArbitrageSettings of(Map<String, Integer> thresholds, int defaultThreshold, Duration maxBookAge,
            BigDecimal minLot) {
        ArbitrageSettings d = defaults();
        return new ArbitrageSettings(thresholds, defaultThreshold, d.hysteresisBasisPoints, d.updateStepBasisPoints,
                d.updateStepPercent, maxBookAge, minLot, d.maxTransferTime, d.startAssets, d.maxCycleLegs,
                d.historyEvents, d.historyRetention, d.streamThreads);
    }

    int threshold(String pairOrCycle) {
        return thresholdBasisPoints.getOrDefault(pairOrCycle, defaultThreshold);
    }
}

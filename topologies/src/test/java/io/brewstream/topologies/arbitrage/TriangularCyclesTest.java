package io.brewstream.topologies.arbitrage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which cycles a venue's pairs make. */
class TriangularCyclesTest {
    private static final List<String> PAIRS = List.of("ETH-USDC", "BTC-USDC", "ETH-BTC", "SOL-ETH", "SOL-USDC", "USDT-USDC");

    @Test
    void cyclesOfThreeAndFourLegsThroughThePairInBothDirections() {
        List<String> labels = TriangularCycles.through(PAIRS, "ETH-BTC", List.of("USDC", "USDT"), 4).stream()
                .map(TriangularCycles.Cycle::label).toList();
        assertThat(labels).containsExactlyInAnyOrder(
                "USDC>BTC>ETH>USDC", "USDC>ETH>BTC>USDC",
                "USDC>BTC>ETH>SOL>USDC", "USDC>SOL>ETH>BTC>USDC");
    }

    @Test
    void aCycleThroughTwoStartAssetsStartsInTheFirstListed() {
        List<String> labels = TriangularCycles.through(List.of("ETH-USDC", "ETH-USDT", "USDT-USDC"), "ETH-USDT",
                List.of("USDC", "USDT"), 4).stream().map(TriangularCycles.Cycle::label).toList();
        assertThat(labels).containsExactlyInAnyOrder("USDC>ETH>USDT>USDC", "USDC>USDT>ETH>USDC");
    }

    @Test
    void threeLegsOnlyWhenSoConfigured() {
        assertThat(TriangularCycles.through(PAIRS, "SOL-ETH", List.of("USDC"), 3)).extracting(TriangularCycles.Cycle::label)
                .containsExactlyInAnyOrder("USDC>ETH>SOL>USDC", "USDC>SOL>ETH>USDC");
    }
}

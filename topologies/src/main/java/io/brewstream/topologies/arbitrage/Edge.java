package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.util.List;

import io.brewstream.schemas.arbitrage.OpportunityLeg;

/**
 * An executable opportunity as a rule found it: its size, what a unit costs and brings, its edge in basis points
 * and in money, its trades, and for a cross-venue one the transfer between the venues.
 *
 * @param size            base amount (cross-venue) or starting amount in the cycle's first asset (triangular)
 * @param buyPrice        volume-weighted price paid per unit (1 for a cycle)
 * @param sellPrice       volume-weighted price received per unit (what one unit brings back, for a cycle)
 * @param edgeBasisPoints the edge after every fee, in basis points of what was paid
 * @param edgeMoney       the profit at that size, in the quote currency (the cycle's first asset)
 * @param legs            the trades, in order
 * @param transferNetwork the network the bought asset moves over, or null
 * @param transferSeconds how long that takes, or null
 */
public record Edge(BigDecimal size, BigDecimal buyPrice, BigDecimal sellPrice, int edgeBasisPoints,
        BigDecimal edgeMoney, List<OpportunityLeg> legs, String transferNetwork, Integer transferSeconds) {
}

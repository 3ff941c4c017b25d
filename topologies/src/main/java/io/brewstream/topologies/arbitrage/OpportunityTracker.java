package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Optional;

import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.OpportunityEvent;
import io.brewstream.schemas.arbitrage.OpportunityStatus;

/**
 * An opportunity's life between two venues of a pair: OPENED when the edge clears the threshold, UPDATED when
 * the edge or the size moves by more than a step, CLOSED with its reason. Hysteresis: once open it stays open down
 * to the threshold minus the hysteresis (the caller asks for the edge at that lower threshold), so an edge
 * flickering around the threshold does not flood. Ids and times come from the updates, so a replay of the same
 * input gives the same events. Pure.
 */
public final class OpportunityTracker {
    /** The open opportunity after this step (null: none), and the event to emit, if any. */
    public record Step(ArbitrageOpportunity open, Optional<ArbitrageOpportunity> event) {
    }

    private OpportunityTracker() {
    }

    public static Step onEdge(ArbitrageOpportunity open, String pair, String buyVenue, String sellVenue,
            Optional<CrossVenueEdge.Edge> edge, ArbitrageSettings settings, Instant at) {
        if (open == null) {
            if (edge.isEmpty() || edge.get().edgeBasisPoints() < settings.threshold(pair)) {
                return new Step(null, Optional.empty());
            }
            ArbitrageOpportunity opened = fill(ArbitrageOpportunity.newBuilder()
                    .setOpportunityId(pair + ":" + buyVenue + ":" + sellVenue + ":" + at.toEpochMilli())
                    .setPair(pair).setBuyExchange(buyVenue).setSellExchange(sellVenue)
                    .setStatus(OpportunityStatus.OPEN).setOpenedAt(at).setEvent(OpportunityEvent.OPENED)
                    .setPeakEdgeBasisPoints(edge.get().edgeBasisPoints()), edge.get(), at).build();
            return new Step(opened, Optional.of(opened));
        }
        if (edge.isEmpty()) {
            return close(open, "spread gone", at);
        }
        CrossVenueEdge.Edge now = edge.get();
        int peak = Math.max(open.getPeakEdgeBasisPoints(), now.edgeBasisPoints());
        boolean edgeMoved = Math.abs(now.edgeBasisPoints() - open.getNetSpreadBasisPoints()) >= settings.updateStepBasisPoints();
        BigDecimal sizeChange = now.size().subtract(open.getSize()).abs().multiply(BigDecimal.valueOf(100));
        boolean sizeMoved = sizeChange.compareTo(open.getSize().multiply(BigDecimal.valueOf(settings.updateStepPercent()))) >= 0;
        if (!edgeMoved && !sizeMoved) {
            ArbitrageOpportunity kept = ArbitrageOpportunity.newBuilder(open).setPeakEdgeBasisPoints(peak).build();
            return new Step(kept, Optional.empty());
        }
        ArbitrageOpportunity updated = fill(ArbitrageOpportunity.newBuilder(open).setEvent(OpportunityEvent.UPDATED)
                .setPeakEdgeBasisPoints(peak), now, at).build();
        return new Step(updated, Optional.of(updated));
    }

    /** Closes an open opportunity: the spread went, or a venue became stale, gapped or halted. */
    public static Step close(ArbitrageOpportunity open, String reason, Instant at) {
        ArbitrageOpportunity closed = ArbitrageOpportunity.newBuilder(open).setStatus(OpportunityStatus.CLOSED)
                .setEvent(OpportunityEvent.CLOSED).setCloseReason(reason).setClosedAt(at).setUpdatedAt(at).build();
        return new Step(null, Optional.of(closed));
    }

    private static ArbitrageOpportunity.Builder fill(ArbitrageOpportunity.Builder builder, CrossVenueEdge.Edge edge,
            Instant at) {
        return builder.setBuyPrice(scaled(edge.buyPrice())).setSellPrice(scaled(edge.sellPrice()))
                .setSize(scaled(edge.size())).setNetSpreadBasisPoints(edge.edgeBasisPoints())
                .setEdgeMoney(scaled(edge.edgeMoney())).setUpdatedAt(at);
    }

    /** The schema's 18 decimal places, rounded down (never claiming more than is there). */
    private static BigDecimal scaled(BigDecimal value) {
        return value.setScale(18, RoundingMode.DOWN);
    }
}

package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.OpportunityEvent;
import io.brewstream.schemas.arbitrage.OpportunityKind;
import io.brewstream.schemas.arbitrage.OpportunityStatus;

/**
 * An opportunity's life between two venues of a pair (or in a cycle): OPENED when the edge clears the threshold,
 * UPDATED when the edge or the size gets worse by a step or better by twice the step, CLOSED with its reason. Hysteresis: once open it stays open down
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

    public static Step onEdge(ArbitrageOpportunity open, OpportunityKind kind, String pair, String buyVenue,
            String sellVenue, Optional<Edge> edge, ArbitrageSettings settings, Instant at) {
        if (open == null) {
            if (edge.isEmpty() || edge.get().edgeBasisPoints() < settings.threshold(pair)) {
                return new Step(null, Optional.empty());
            }
            ArbitrageOpportunity opened = fill(ArbitrageOpportunity.newBuilder()
                    .setOpportunityId(pair + ":" + buyVenue + ":" + sellVenue + ":" + at.toEpochMilli())
                    .setKind(kind).setPair(pair).setBuyExchange(buyVenue).setSellExchange(sellVenue)
                    .setStatus(OpportunityStatus.OPEN).setOpenedAt(at).setEvent(OpportunityEvent.OPENED)
                    .setPeakEdgeBasisPoints(edge.get().edgeBasisPoints()), edge.get(), at).build();
            return new Step(opened, Optional.of(opened));
        }
        if (edge.isEmpty()) {
            return close(open, "spread gone", at);
        }
        Edge now = edge.get();
        int peak = Math.max(open.getPeakEdgeBasisPoints(), now.edgeBasisPoints());
        // worse is told at once (a consumer must not act on more than is there); better, at twice the step
        int edgeChange = now.edgeBasisPoints() - open.getNetSpreadBasisPoints();
        boolean edgeMoved = edgeChange <= -settings.updateStepBasisPoints()
                || edgeChange >= 2 * settings.updateStepBasisPoints();
        BigDecimal sizeChange = now.size().subtract(open.getSize()).multiply(BigDecimal.valueOf(100));
        BigDecimal step = open.getSize().multiply(BigDecimal.valueOf(settings.updateStepPercent()));
        boolean sizeMoved = sizeChange.negate().compareTo(step) >= 0 || sizeChange.compareTo(step.add(step)) >= 0;
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

    private static ArbitrageOpportunity.Builder fill(ArbitrageOpportunity.Builder builder, Edge edge, Instant at) {
        return builder.setBuyPrice(Legs.scaled(edge.buyPrice())).setSellPrice(Legs.scaled(edge.sellPrice()))
                .setSize(Legs.scaled(edge.size())).setNetSpreadBasisPoints(edge.edgeBasisPoints())
                .setEdgeMoney(Legs.scaled(edge.edgeMoney())).setLegs(edge.legs())
                .setTransferNetwork(edge.transferNetwork()).setTransferSeconds(edge.transferSeconds()).setUpdatedAt(at);
    }
}

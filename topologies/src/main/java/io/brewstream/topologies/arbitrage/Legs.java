package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.math.RoundingMode;

import io.brewstream.schemas.arbitrage.LegSide;
import io.brewstream.schemas.arbitrage.OpportunityLeg;

/** An opportunity's trades as the schema states them: 18 decimal places, never claiming more than is there. */
final class Legs {
    private Legs() {
    }

    static OpportunityLeg leg(String venue, String pair, LegSide side, BigDecimal price, BigDecimal baseAmount,
            BigDecimal quoteAmount, int feeBasisPoints) {
        return OpportunityLeg.newBuilder().setVenue(venue).setPair(pair).setSide(side).setPrice(scaled(price))
                .setBaseAmount(scaled(baseAmount)).setQuoteAmount(scaled(quoteAmount)).setFeeBasisPoints(feeBasisPoints)
                .build();
    }

    /** The schema's 18 decimal places, rounded down. */
    static BigDecimal scaled(BigDecimal value) {
        return value.setScale(18, RoundingMode.DOWN);
    }
}

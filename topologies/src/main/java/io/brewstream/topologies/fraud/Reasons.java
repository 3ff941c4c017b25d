package io.brewstream.topologies.fraud;

import io.brewstream.schemas.fraud.FraudReason;

/** Builds the reason of a rule that fired. */
final class Reasons {
    private Reasons() {
    }

    static FraudReason fired(FraudSettings settings, String rule, String detail) {
        double weight = settings.weight(rule);
        return FraudReason.newBuilder().setRule(rule).setWeight(weight).setContribution(weight).setDetail(detail).build();
    }
}

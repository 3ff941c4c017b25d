package io.brewstream.topologies.fraud;

import java.util.Locale;

/** Where orders are scored for fraud ({@code BREWSTREAM_FRAUD_MODE}). */
public enum FraudMode {
    /**
     * In the orders task, in the step that places the order, from profiles every partition shares through
     * fraud.activity (the default): an order in another shop partition is visible to the rules about a commit later.
     */
    IN_TASK,
    /**
     * In the fraud topology: each side of an order on a repartition of its own (customer, device, IP), the signals
     * gathered by order and the result posted to orders.validations. Every order sees every earlier one of its
     * customer, device and IP; it costs about 18 broker writes and three more exactly-once hops per order.
     */
    STRICT;

    /** {@code in-task} or {@code strict}, in any case. */
    public static FraudMode parse(String text) {
        String normalised = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (FraudMode mode : values()) {
            if (mode.name().equals(normalised)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("BREWSTREAM_FRAUD_MODE: '" + text + "' is neither in-task nor strict");
    }
}

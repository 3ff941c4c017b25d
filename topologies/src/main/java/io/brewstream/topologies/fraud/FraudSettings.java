package io.brewstream.topologies.fraud;

import java.time.Duration;
import java.util.Map;

/**
 * Rule weights, limits and thresholds of fraud scoring. A rule adds its weight to the score when it fires;
 * the score is capped at 1.
 *
 * @param weights           weight per rule name (see {@link Rules})
 * @param shortWindow       the short velocity window (10 minutes)
 * @param longWindow        the long velocity and many-customers window (1 hour)
 * @param customerOrdersShort more orders than this by one customer in the short window fire its rule
 * @param customerOrdersLong  ... in the long window
 * @param deviceOrdersShort   more orders than this from one device in the short window
 * @param ipOrdersShort       more orders than this from one IP in the short window
 * @param customersPerDevice  more distinct customers than this on one device in the long window
 * @param customersPerIp      more distinct customers than this on one IP in the long window
 * @param amountDeviations  an order more standard deviations than this above the customer's mean amount...
 * @param amountMinHistory  ...once the customer has at least this many orders
 * @param newAccountAge     an account younger than this is new
 * @param reviewFrom        a score from this on is REVIEW
 * @param rejectFrom        a score from this on is REJECT
 * @param waitForPayment    score only once the first payment arrived, so a denied card or address counts
 * @param maxUnpaidOrders   a customer's orders that may wait for payment at once; one more is rejected at once
 */
public record FraudSettings(Map<String, Double> weights, Duration shortWindow, Duration longWindow,
        int customerOrdersShort, int customerOrdersLong, int deviceOrdersShort, int ipOrdersShort,
        int customersPerDevice, int customersPerIp, double amountDeviations, int amountMinHistory,
        Duration newAccountAge, double reviewFrom, double rejectFrom, boolean waitForPayment, int maxUnpaidOrders) {

    /** The rule names. */
    public static final class Rules {
        public static final String CUSTOMER_VELOCITY_SHORT = "customer-velocity-10m";
        public static final String CUSTOMER_VELOCITY_LONG = "customer-velocity-1h";
        public static final String DEVICE_VELOCITY = "device-velocity-10m";
        public static final String IP_VELOCITY = "ip-velocity-10m";
        public static final String DEVICE_MANY_CUSTOMERS = "device-many-customers-1h";
        public static final String IP_MANY_CUSTOMERS = "ip-many-customers-1h";
        public static final String AMOUNT_DEVIATION = "amount-above-history";
        public static final String NEW_ACCOUNT = "new-account";
        public static final String CHARGEBACKS = "chargebacks";
        public static final String DENY_LIST = "deny-list";

        private Rules() {
        }
    }

    public FraudSettings {
        weights = Map.copyOf(weights);
    }

    public static FraudSettings defaults() {
        return new FraudSettings(Map.of(
                Rules.CUSTOMER_VELOCITY_SHORT, 0.3,
                Rules.CUSTOMER_VELOCITY_LONG, 0.2,
                Rules.DEVICE_VELOCITY, 0.3,
                Rules.IP_VELOCITY, 0.2,
                Rules.DEVICE_MANY_CUSTOMERS, 0.5,
                Rules.IP_MANY_CUSTOMERS, 0.3,
                Rules.AMOUNT_DEVIATION, 0.25,
                Rules.NEW_ACCOUNT, 0.1,
                Rules.CHARGEBACKS, 0.3,
                Rules.DENY_LIST, 1.0),
                Duration.ofMinutes(10), Duration.ofHours(1), 3, 8, 5, 10, 3, 5, 3.0, 5, Duration.ofDays(1),
                0.6, 0.8, true, 5);
    }

    double weight(String rule) {
        return weights.getOrDefault(rule, 0.0);
    }
}

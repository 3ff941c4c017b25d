package io.brewstream.topologies.fraud;

/** Names of the fraud topology's state stores, which interactive queries read. */
public final class FraudStores {
    /** Risk profile per customer id. */
    public static final String CUSTOMER_RISK = "customer-risk";
    /** Recent orders per device id. */
    static final String DEVICE_ACTIVITY = "device-activity";
    /** Recent orders per IP address. */
    static final String IP_ACTIVITY = "ip-activity";
    /** Orders let into scoring and still PLACED, per order id (the value: when). */
    static final String LET_INTO_SCORING = "orders-let-into-scoring";
    /** The orders of each customer still waiting to be validated (comma-separated ids), per customer id. */
    static final String UNPAID_ORDERS = "unpaid-orders-by-customer";
    /** Signals gathered per order id until it is scored. */
    static final String CASES = "fraud-cases";
    /** Recent high and critical scores; key: inverted epoch millis (newest first) {@code |} order id. */
    public static final String RECENT_ALERTS = "recent-fraud-alerts";

    /**
     * Fraud in the orders task: what this orders partition knows of each customer (its share of the customer's
     * profile, the authoritative copy), per customer id. Every change is also written to fraud.activity.
     */
    static final String CUSTOMER_SHARES = "fraud-customer-shares";
    /** Fraud in the orders task: orders whose signals wait for their first payment, per order id. */
    static final String PENDING_CASES = "fraud-pending-cases";
    /**
     * Fraud in the orders task: the global store folded from fraud.activity: every partition's customer shares
     * ({@code c|customerId:partition}) and the device ({@code d|device}) and IP ({@code i|ip}) profiles made from
     * them (a {@link io.brewstream.schemas.fraud.CustomerRisk} whose recent orders are the device's or IP's).
     */
    public static final String PROFILES = "fraud-profiles";

    private FraudStores() {
    }
}

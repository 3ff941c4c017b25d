package io.brewstream.app;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.brewstream.platform.config.Env;
import io.brewstream.schemas.orders.CheckType;

import io.brewstream.topologies.analytics.AnalyticsTopology;
import io.brewstream.topologies.backoffice.BackofficeStores;
import io.brewstream.topologies.agents.AgentsSettings;
import io.brewstream.topologies.agents.AgentsTopology;
import io.brewstream.topologies.arbitrage.ArbitrageSettings;
import io.brewstream.topologies.arbitrage.ArbitrageTopology;
import io.brewstream.topologies.bots.BotsTopology;
import io.brewstream.topologies.payments.InvoicesTopology;
import io.brewstream.topologies.backoffice.BackofficeTopology;
import io.brewstream.topologies.fraud.FraudMode;
import io.brewstream.topologies.fraud.FraudSettings;
import io.brewstream.topologies.fraud.FraudTopology;
import io.brewstream.topologies.inventory.InventorySettings;
import io.brewstream.topologies.orders.OrdersSettings;
import io.brewstream.topologies.orders.OrdersTopology;
import io.brewstream.topologies.pricing.PricingSettings;
import io.brewstream.topologies.pricing.PricingTopology;
import io.brewstream.topologies.runtime.DomainTopology;

/** The topologies a process can run, by name. */
final class TopologyCatalog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TopologyCatalog.class);
    /** The fraud topology: run in strict mode only. */
    static final String FRAUD = "fraud";
    private static final Map<String, Function<Env, DomainTopology>> TOPOLOGIES = new LinkedHashMap<>();

    static {
        TOPOLOGIES.put("orders", env -> new OrdersTopology(ordersSettings(env), InventorySettings.defaults(),
                fraudMode(env) == FraudMode.IN_TASK ? fraudSettings(env) : null));
        TOPOLOGIES.put("pricing", env -> new PricingTopology(pricingSettings(env)));
        TOPOLOGIES.put(FRAUD, env -> new FraudTopology(fraudSettings(env)));
        TOPOLOGIES.put("analytics", env -> new AnalyticsTopology());
        TOPOLOGIES.put("backoffice", env -> new BackofficeTopology(
                env.duration("BREWSTREAM_OUTBOX_DEDUP_WINDOW", BackofficeStores.DEDUPLICATION_WINDOW)));
        TOPOLOGIES.put("bots", env -> new BotsTopology());
        TOPOLOGIES.put("payments", env -> new InvoicesTopology(ChainSettings.of(env).invoices()));
        TOPOLOGIES.put("arbitrage", env -> new ArbitrageTopology(arbitrageSettings(env)));
        TOPOLOGIES.put("agents", env -> new AgentsTopology(agentsSettings(env)));
    }

    /**
     * BREWSTREAM_AGENTS_DEFAULT_DEADLINE (5m), BREWSTREAM_AGENTS_ATTEMPT_TIMEOUT (30s), BREWSTREAM_AGENTS_MAX_ATTEMPTS
     * (3), BREWSTREAM_AGENTS_MISSED_HEARTBEATS (3), BREWSTREAM_AGENTS_RETRY_BACKOFF (200ms, doubled each retry up to
     * BREWSTREAM_AGENTS_MAX_RETRY_BACKOFF, 5s), BREWSTREAM_AGENTS_FINISHED_RETENTION (24h).
     */
    static AgentsSettings agentsSettings(Env env) {
        AgentsSettings d = AgentsSettings.defaults();
        return new AgentsSettings(env.duration("BREWSTREAM_AGENTS_DEFAULT_DEADLINE", d.defaultDeadline()),
                env.duration("BREWSTREAM_AGENTS_ATTEMPT_TIMEOUT", d.attemptTimeout()),
                env.integer("BREWSTREAM_AGENTS_MAX_ATTEMPTS", d.maxAttempts()),
                env.integer("BREWSTREAM_AGENTS_MISSED_HEARTBEATS", d.missedHeartbeats()),
                env.duration("BREWSTREAM_AGENTS_RETRY_BACKOFF", d.retryBackoff()),
                env.duration("BREWSTREAM_AGENTS_MAX_RETRY_BACKOFF", d.maxRetryBackoff()), d.checkInterval(),
                env.duration("BREWSTREAM_AGENTS_FINISHED_RETENTION", d.finishedRetention()));
    }

    private TopologyCatalog() {
    }

    static List<String> names() {
        return List.copyOf(TOPOLOGIES.keySet());
    }

    static OrdersSettings ordersSettings(Env env) {
        OrdersSettings defaults = OrdersSettings.defaults();
        List<CheckType> checks = env.optional("BREWSTREAM_ORDER_REQUIRED_CHECKS")
                .map(value -> Arrays.stream(value.split(",")).map(String::trim).filter(c -> !c.isEmpty())
                        .map(c -> CheckType.valueOf(c.toUpperCase())).toList())
                .orElse(defaults.requiredChecks());
        return new OrdersSettings(checks,
                env.integer("BREWSTREAM_ORDER_MAX_FAILED_CLAIMS", defaults.maxFailedClaims()),
                env.duration("BREWSTREAM_ORDER_VALIDATION_TIMEOUT", defaults.validationTimeout()),
                env.duration("BREWSTREAM_ORDER_CLAIM_TIMEOUT", defaults.claimTimeout()),
                env.integer("BREWSTREAM_ORDER_MAX_PAYMENTS", defaults.maxPaymentsPerOrder()),
                env.duration("BREWSTREAM_ORDER_RETENTION", defaults.closedRetention()));
    }

    static PricingSettings pricingSettings(Env env) {
        PricingSettings d = PricingSettings.defaults();
        return new PricingSettings(
                env.optional("BREWSTREAM_PRICING_STRATEGY")
                        .map(s -> PricingSettings.Strategy.valueOf(s.toUpperCase().replace('-', '_'))).orElse(d.strategy()),
                env.integer("BREWSTREAM_PRICING_MAX_STEP_PERCENT", d.maxStepBasisPoints() / 100) * 100,
                env.duration("BREWSTREAM_PRICING_MIN_INTERVAL", d.minInterval()),
                env.duration("BREWSTREAM_PRICING_DEMAND_WINDOW", d.demandWindow()),
                env.duration("BREWSTREAM_PRICING_NORMAL_WINDOW", d.normalWindow()),
                d.minNormalPerHour(), d.demandSensitivityBasisPoints(), d.maxDemandBasisPoints(),
                d.scarcityBasisPoints(), d.surplusPercent(), d.surplusBasisPoints(),
                env.optional("BREWSTREAM_PRICING_HAPPY_HOURS").map(PricingSettings::parseHappyHours).orElse(d.happyHours()),
                env.duration("BREWSTREAM_PRICING_TICK", d.tick()));
    }

    /**
     * BREWSTREAM_ARBITRAGE_THRESHOLDS ({@code PAIR=bps,...}, a cycle's label such as {@code USDC>ETH>BTC>USDC} too),
     * BREWSTREAM_ARBITRAGE_DEFAULT_THRESHOLD (20), BREWSTREAM_ARBITRAGE_HYSTERESIS (10 bps),
     * BREWSTREAM_ARBITRAGE_MAX_BOOK_AGE (2s), BREWSTREAM_ARBITRAGE_MIN_LOT (0.001, for venues that state none),
     * BREWSTREAM_ARBITRAGE_MAX_TRANSFER_TIME (15m), BREWSTREAM_ARBITRAGE_START_ASSETS (USDC,USDT,USD),
     * BREWSTREAM_ARBITRAGE_MAX_CYCLE_LEGS (4), BREWSTREAM_ARBITRAGE_HISTORY_EVENTS (100),
     * BREWSTREAM_ARBITRAGE_HISTORY_RETENTION (1h), BREWSTREAM_ARBITRAGE_STREAM_THREADS (0: as every application).
     */
    static ArbitrageSettings arbitrageSettings(Env env) {
        ArbitrageSettings d = ArbitrageSettings.defaults();
        Map<String, Integer> thresholds = new LinkedHashMap<>();
        for (String pair : env.string("BREWSTREAM_ARBITRAGE_THRESHOLDS", "").split(",")) {
            if (!pair.isBlank()) {
                String[] parts = pair.trim().split("=");
                if (parts.length != 2 || !parts[1].matches("\\d{1,5}")) {
                    throw new IllegalArgumentException("BREWSTREAM_ARBITRAGE_THRESHOLDS: '" + pair + "' is not PAIR=basisPoints");
                }
                thresholds.put(parts[0].toUpperCase(), Integer.parseInt(parts[1]));
            }
        }
        List<String> startAssets = Arrays.stream(env.string("BREWSTREAM_ARBITRAGE_START_ASSETS",
                String.join(",", d.startAssets())).split(",")).map(String::trim).filter(a -> !a.isEmpty())
                .map(String::toUpperCase).toList();
        return new ArbitrageSettings(thresholds, env.integer("BREWSTREAM_ARBITRAGE_DEFAULT_THRESHOLD", d.defaultThreshold()),
                env.integer("BREWSTREAM_ARBITRAGE_HYSTERESIS", d.hysteresisBasisPoints()), d.updateStepBasisPoints(),
                d.updateStepPercent(), env.duration("BREWSTREAM_ARBITRAGE_MAX_BOOK_AGE", d.maxBookAge()),
                new java.math.BigDecimal(env.string("BREWSTREAM_ARBITRAGE_MIN_LOT", d.minLot().toPlainString())),
                env.duration("BREWSTREAM_ARBITRAGE_MAX_TRANSFER_TIME", d.maxTransferTime()), startAssets,
                env.integer("BREWSTREAM_ARBITRAGE_MAX_CYCLE_LEGS", d.maxCycleLegs()),
                env.integer("BREWSTREAM_ARBITRAGE_HISTORY_EVENTS", d.historyEvents()),
                env.duration("BREWSTREAM_ARBITRAGE_HISTORY_RETENTION", d.historyRetention()),
                env.integer("BREWSTREAM_ARBITRAGE_STREAM_THREADS", d.streamThreads()));
    }

    /** BREWSTREAM_FRAUD_MODE: {@code in-task} (the default) or {@code strict} (the fraud topology). */
    static FraudMode fraudMode(Env env) {
        return env.optional("BREWSTREAM_FRAUD_MODE").map(FraudMode::parse).orElse(FraudMode.IN_TASK);
    }

    static FraudSettings fraudSettings(Env env) {
        FraudSettings d = FraudSettings.defaults();
        Map<String, Double> weights = new LinkedHashMap<>(d.weights());
        env.optional("BREWSTREAM_FRAUD_WEIGHTS").ifPresent(text -> {
            for (String pair : text.split(",")) {
                String[] ruleAndWeight = pair.split("=");
                if (ruleAndWeight.length != 2 || !weights.containsKey(ruleAndWeight[0].trim())) {
                    throw new IllegalArgumentException("BREWSTREAM_FRAUD_WEIGHTS: '" + pair + "' is not rule=weight with a rule of "
                            + d.weights().keySet());
                }
                weights.put(ruleAndWeight[0].trim(), Double.parseDouble(ruleAndWeight[1].trim()));
            }
        });
        return new FraudSettings(weights, d.shortWindow(), d.longWindow(),
                env.integer("BREWSTREAM_FRAUD_CUSTOMER_ORDERS_10M", d.customerOrdersShort()),
                env.integer("BREWSTREAM_FRAUD_CUSTOMER_ORDERS_1H", d.customerOrdersLong()),
                env.integer("BREWSTREAM_FRAUD_DEVICE_ORDERS_10M", d.deviceOrdersShort()),
                env.integer("BREWSTREAM_FRAUD_IP_ORDERS_10M", d.ipOrdersShort()),
                env.integer("BREWSTREAM_FRAUD_CUSTOMERS_PER_DEVICE", d.customersPerDevice()),
                env.integer("BREWSTREAM_FRAUD_CUSTOMERS_PER_IP", d.customersPerIp()),
                d.amountDeviations(), d.amountMinHistory(), d.newAccountAge(),
                Double.parseDouble(env.string("BREWSTREAM_FRAUD_REVIEW_FROM", String.valueOf(d.reviewFrom()))),
                Double.parseDouble(env.string("BREWSTREAM_FRAUD_REJECT_FROM", String.valueOf(d.rejectFrom()))),
                env.bool("BREWSTREAM_FRAUD_WAIT_FOR_PAYMENT", d.waitForPayment()),
                env.integer("BREWSTREAM_MAX_UNPAID_ORDERS_PER_CUSTOMER", d.maxUnpaidOrders()));
    }

    static List<DomainTopology> select(List<String> names, Env env) {
        List<String> wanted = names.isEmpty() || names.equals(List.of("all")) ? names() : names;
        if (fraudMode(env) == FraudMode.IN_TASK && wanted.stream().anyMatch(name -> name.trim().equals(FRAUD))) {
            // the orders topology scores fraud itself: naming "fraud" (in an existing deployment's list) runs nothing
            LOG.info("fraud is scored in the orders topology (BREWSTREAM_FRAUD_MODE=in-task); "
                    + "the fraud topology runs only with BREWSTREAM_FRAUD_MODE=strict");
            wanted = wanted.stream().filter(name -> !name.trim().equals(FRAUD)).toList();
        }
        return wanted.stream().map(name -> {
            Function<Env, DomainTopology> topology = TOPOLOGIES.get(name.trim());
            if (topology == null) {
                throw new IllegalArgumentException("unknown topology '" + name + "'; known: " + names());
            }
            return topology.apply(env);
        }).toList();
    }
}

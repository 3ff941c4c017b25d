package io.brewstream.queries.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueIterator;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.schemas.fraud.CustomerRisk;
import io.brewstream.schemas.fraud.FraudActivityEntry;
import io.brewstream.schemas.fraud.FraudReason;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.topologies.fraud.AmountStatistics;
import io.brewstream.topologies.fraud.FraudProfiles;
import io.brewstream.topologies.fraud.FraudStores;
import io.brewstream.platform.security.Role;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** A customer's risk profile and the recent fraud alerts. */
public final class FraudQueryRoutes implements HttpRoutes {
    public static final String RISK_PATH = "/api/v1/customers/{customerId}/risk";
    public static final String ALERTS_PATH = "/api/v1/fraud/alerts";
    private static final int MAX_ALERTS = 200;

    private final LocalStores stores;
    private final InstanceRouter router;
    private final boolean inOrdersTask;

    /**
     * @param inOrdersTask whether fraud is scored in the orders task (risk profiles from its global store, on every
     *                     instance) or by the fraud topology (each customer's profile on the instance that owns it)
     */
    public FraudQueryRoutes(LocalStores stores, InstanceRouter router, boolean inOrdersTask) {
        this.stores = stores;
        this.router = router;
        this.inOrdersTask = inOrdersTask;
    }

    /** A fraud score as the read API shows it. */
    public record ScoreView(String orderId, String customerId, String shopId, double score, String level, String decision,
            List<ReasonView> reasons, Instant scoredAt) {
        public static ScoreView of(FraudScore s) {
            return s == null ? null : new ScoreView(s.getOrderId(), s.getCustomerId(), s.getShopId(), s.getScore(),
                    s.getLevel().name(), s.getDecision().name(),
                    s.getReasons().stream().map(ReasonView::of).toList(), s.getScoredAt());
        }
    }

    public record ReasonView(String rule, double contribution, String detail) {
        static ReasonView of(FraudReason r) {
            return new ReasonView(r.getRule(), r.getContribution(), r.getDetail());
        }
    }

    /**
     * The risk profile. The trust score is 1 minus the customer's mean fraud score, less 0.1 per chargeback,
     * never below 0.
     */
    public record RiskView(String customerId, double trustScore, int chargebacks, long scoredOrders,
            List<String> recentOrderIds, Map<String, Object> amounts, ScoreView lastScore, Instant updatedAt) {
        static RiskView of(CustomerRisk r) {
            double trust = Math.max(0, 1 - r.getScoreMean() - 0.1 * r.getChargebacks());
            AmountStatistics amounts = AmountStatistics.of(r);
            return new RiskView(r.getCustomerId(), Math.round(trust * 1000) / 1000.0, r.getChargebacks(),
                    r.getScoredOrders(), r.getRecent().stream().map(FraudActivityEntry::getOrderId).toList(),
                    Map.of("count", amounts.count(), "meanMinor", Math.round(amounts.mean()),
                            "standardDeviationMinor", Math.round(amounts.standardDeviation())),
                    ScoreView.of(r.getLastScore()), r.getUpdatedAt());
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        LocalStores.answerMovedStoresWith503(routes);
        routes.get(RISK_PATH, this::risk, Role.ANALYST);
        routes.get(ALERTS_PATH, this::alerts, Role.ANALYST);
    }

    private void risk(Context ctx) {
        String customerId = ctx.pathParam("customerId");
        if (inOrdersTask) {
            // every partition's share of the customer, as of its last commit, is in every instance's global store
            CustomerRisk risk = FraudProfiles.profile(stores.<String, CustomerRisk>keyValueStore(FraudStores.PROFILES,
                    InstanceRouter.allowStale(ctx)), customerId);
            if (risk == null) {
                throw ProblemException.notFound("no orders of customer " + customerId + " have been scored");
            }
            ctx.json(RiskView.of(risk));
            return;
        }
        OptionalInt partition = router.route(ctx, FraudStores.CUSTOMER_RISK, customerId);
        if (partition.isEmpty()) {
            return; // forwarded to the owner
        }
        CustomerRisk risk = stores.get(FraudStores.CUSTOMER_RISK, customerId, InstanceRouter.allowStale(ctx), partition);
        if (risk == null) {
            throw ProblemException.notFound("no orders of customer " + customerId + " have been scored");
        }
        ctx.json(RiskView.of(risk));
    }

    private void alerts(Context ctx) {
        List<FraudScore> newest = new ArrayList<>();
        try (KeyValueIterator<String, FraudScore> it = stores.<String, FraudScore>keyValueStore(FraudStores.RECENT_ALERTS,
                InstanceRouter.allowStale(ctx)).all()) {
            it.forEachRemaining(kv -> newest.add(kv.value));
        }
        newest.sort(Comparator.comparing(FraudScore::getScoredAt).reversed());
        // alerts are kept per partition: every instance holds some
        router.respondMerged(ctx, Map.of(), "alerts", newest.stream().limit(MAX_ALERTS).map(ScoreView::of).toList(),
                Comparator.comparing((com.fasterxml.jackson.databind.JsonNode a) -> a.path("scoredAt").asText()).reversed());
    }
}

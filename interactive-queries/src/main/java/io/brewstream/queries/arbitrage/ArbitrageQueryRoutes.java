package io.brewstream.queries.arbitrage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.security.Role;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.VenueBook;
import io.brewstream.topologies.arbitrage.ArbitrageStores;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The arbitrage topology's reads, for analysts and managers: open opportunities (all, or of one pair) and each
 * venue's book freshness. A pair's stores live in one task: a read of one pair goes to the instance that owns it;
 * a read of all merges every instance's.
 */
public final class ArbitrageQueryRoutes implements HttpRoutes {
    public static final String OPPORTUNITIES_PATH = "/api/v1/arbitrage/opportunities";
    public static final String VENUES_PATH = "/api/v1/arbitrage/venues";
    private final LocalStores stores;
    private final InstanceRouter router;

    public ArbitrageQueryRoutes(LocalStores stores, InstanceRouter router) {
        this.stores = stores;
        this.router = router;
    }

    /** An open opportunity: both legs, size, edge in basis points and in money (quote currency). */
    public record OpportunityView(String opportunityId, String pair, String event, String buyVenue, String sellVenue,
            BigDecimal buyPrice, BigDecimal sellPrice, BigDecimal size, int edgeBasisPoints, BigDecimal edgeMoney,
            int peakEdgeBasisPoints, Instant openedAt, Instant updatedAt, Instant closedAt, String closeReason) {
        public static OpportunityView of(ArbitrageOpportunity o) {
            return new OpportunityView(o.getOpportunityId(), o.getPair(), o.getEvent().name(), o.getBuyExchange(),
                    o.getSellExchange(), o.getBuyPrice().stripTrailingZeros(), o.getSellPrice().stripTrailingZeros(),
                    o.getSize().stripTrailingZeros(), o.getNetSpreadBasisPoints(),
                    o.getEdgeMoney() == null ? null : o.getEdgeMoney().stripTrailingZeros(), o.getPeakEdgeBasisPoints(),
                    o.getOpenedAt(), o.getUpdatedAt(), o.getClosedAt(), o.getCloseReason());
        }
    }

    /** A venue's book as the topology sees it: how fresh, whether consistent, its top of book. */
    public record VenueView(String pair, String venue, long sequence, boolean consistent, boolean halted,
            Instant lastUpdateAt, long ageMillis, BigDecimal bestBid, BigDecimal bestAsk, int bidLevels, int askLevels) {
        static VenueView of(VenueBook b, Instant now) {
            return new VenueView(b.getPair(), b.getVenue(), b.getSequence(), b.getConsistent(), b.getHalted(),
                    b.getLastUpdateAt(), Math.max(0, now.toEpochMilli() - b.getLastUpdateAt().toEpochMilli()),
                    b.getBids().isEmpty() ? null : b.getBids().get(0).getPrice().stripTrailingZeros(),
                    b.getAsks().isEmpty() ? null : b.getAsks().get(0).getPrice().stripTrailingZeros(),
                    b.getBids().size(), b.getAsks().size());
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        LocalStores.answerMovedStoresWith503(routes);
        routes.get(OPPORTUNITIES_PATH, this::opportunities, Role.ANALYST, Role.MANAGER);
        routes.get(VENUES_PATH, this::venues, Role.ANALYST, Role.MANAGER);
    }

    private void opportunities(Context ctx) {
        String pair = ctx.queryParam("pair");
        List<OpportunityView> local = new ArrayList<>();
        OptionalInt partition = OptionalInt.empty();
        if (pair != null) {
            partition = router.route(ctx, ArbitrageStores.OPEN, pair);
            if (partition.isEmpty()) {
                return; // forwarded to the owner
            }
        }
        try (KeyValueIterator<String, ArbitrageOpportunity> it = pair == null
                ? stores.<String, ArbitrageOpportunity>keyValueStore(ArbitrageStores.OPEN, InstanceRouter.allowStale(ctx)).all()
                : stores.<String, ArbitrageOpportunity>keyValueStore(ArbitrageStores.OPEN, InstanceRouter.allowStale(ctx),
                        partition).prefixScan(pair + "|", new StringSerializer())) {
            it.forEachRemaining(kv -> local.add(OpportunityView.of(kv.value)));
        }
        Comparator<JsonNode> byEdge = Comparator.comparingInt((JsonNode o) -> o.path("edgeBasisPoints").asInt()).reversed();
        if (pair != null) {
            local.sort(Comparator.comparingInt(OpportunityView::edgeBasisPoints).reversed());
            ctx.json(Map.of("pair", pair, "opportunities", local));
        } else {
            router.respondMerged(ctx, Map.of(), "opportunities", local, byEdge);
        }
    }

    private void venues(Context ctx) {
        String pair = ctx.queryParam("pair");
        Instant now = Instant.now();
        List<VenueView> local = new ArrayList<>();
        OptionalInt partition = OptionalInt.empty();
        if (pair != null) {
            partition = router.route(ctx, ArbitrageStores.BOOKS, pair);
            if (partition.isEmpty()) {
                return;
            }
        }
        try (KeyValueIterator<String, VenueBook> it = pair == null
                ? stores.<String, VenueBook>keyValueStore(ArbitrageStores.BOOKS, InstanceRouter.allowStale(ctx)).all()
                : stores.<String, VenueBook>keyValueStore(ArbitrageStores.BOOKS, InstanceRouter.allowStale(ctx), partition)
                        .prefixScan(pair + "|", new StringSerializer())) {
            it.forEachRemaining(kv -> local.add(VenueView.of(kv.value, now)));
        }
        if (pair != null) {
            ctx.json(Map.of("pair", pair, "venues", local));
        } else {
            router.respondMerged(ctx, Map.of(), "venues", local,
                    Comparator.comparing((JsonNode v) -> v.path("pair").asText() + "|" + v.path("venue").asText()));
        }
    }
}

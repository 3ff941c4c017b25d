package io.brewstream.queries.arbitrage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
import io.brewstream.platform.http.ProblemException;
import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.OpportunityLeg;
import io.brewstream.schemas.arbitrage.VenueBook;
import io.brewstream.topologies.arbitrage.ArbitrageStores;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The arbitrage topology's reads, for analysts and managers: open opportunities (all, or of one pair), one with its
 * history, and each venue's book freshness. A pair's stores live in one task: a read of one pair goes to the instance that owns it;
 * a read of all merges every instance's.
 */
public final class ArbitrageQueryRoutes implements HttpRoutes {
    public static final String OPPORTUNITIES_PATH = "/api/v1/arbitrage/opportunities";
    public static final String OPPORTUNITY_PATH = "/api/v1/arbitrage/opportunities/{opportunityId}";
    public static final String VENUES_PATH = "/api/v1/arbitrage/venues";
    private final LocalStores stores;
    private final InstanceRouter router;

    public ArbitrageQueryRoutes(LocalStores stores, InstanceRouter router) {
        this.stores = stores;
        this.router = router;
    }

    /** One trade of an opportunity. */
    public record LegView(String venue, String pair, String side, BigDecimal price, BigDecimal baseAmount,
            BigDecimal quoteAmount, int feeBasisPoints) {
        static LegView of(OpportunityLeg l) {
            return new LegView(l.getVenue(), l.getPair(), l.getSide().name(), l.getPrice().stripTrailingZeros(),
                    l.getBaseAmount().stripTrailingZeros(), l.getQuoteAmount().stripTrailingZeros(), l.getFeeBasisPoints());
        }
    }

    /**
     * An opportunity: its kind (cross-venue, or a triangular cycle whose pair is the cycle's label), its trades,
     * size, edge in basis points and in money (quote currency, or the cycle's first asset), and the transfer.
     */
    public record OpportunityView(String opportunityId, String kind, String pair, String event, String buyVenue,
            String sellVenue, BigDecimal buyPrice, BigDecimal sellPrice, BigDecimal size, int edgeBasisPoints,
            BigDecimal edgeMoney, int peakEdgeBasisPoints, List<LegView> legs, String transferNetwork,
            Integer transferSeconds, Instant openedAt, Instant updatedAt, Instant closedAt, String closeReason) {
        public static OpportunityView of(ArbitrageOpportunity o) {
            return new OpportunityView(o.getOpportunityId(), o.getKind().name(), o.getPair(), o.getEvent().name(),
                    o.getBuyExchange(), o.getSellExchange(), o.getBuyPrice().stripTrailingZeros(),
                    o.getSellPrice().stripTrailingZeros(), o.getSize().stripTrailingZeros(), o.getNetSpreadBasisPoints(),
                    o.getEdgeMoney() == null ? null : o.getEdgeMoney().stripTrailingZeros(), o.getPeakEdgeBasisPoints(),
                    o.getLegs().stream().map(LegView::of).toList(), o.getTransferNetwork(), o.getTransferSeconds(),
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
        routes.get(OPPORTUNITY_PATH, this::opportunity, Role.ANALYST, Role.MANAGER);
        routes.get(VENUES_PATH, this::venues, Role.ANALYST, Role.MANAGER);
    }

    /**
     * Open opportunities, best edge first: of one pair (cross-venue, from the instance that owns the pair), or all of
     * them, cross-venue and triangular, merged from every instance.
     */
    private void opportunities(Context ctx) {
        String pair = ctx.queryParam("pair");
        List<OpportunityView> local = new ArrayList<>();
        if (pair != null) {
            OptionalInt partition = router.route(ctx, ArbitrageStores.OPEN, pair);
            if (partition.isEmpty()) {
                return; // forwarded to the owner
            }
            try (KeyValueIterator<String, ArbitrageOpportunity> it = stores.<String, ArbitrageOpportunity>keyValueStore(
                    ArbitrageStores.OPEN, InstanceRouter.allowStale(ctx), partition).prefixScan(pair + "|", new StringSerializer())) {
                it.forEachRemaining(kv -> local.add(OpportunityView.of(kv.value)));
            }
            local.sort(Comparator.comparingInt(OpportunityView::edgeBasisPoints).reversed());
            ctx.json(Map.of("pair", pair, "opportunities", local));
            return;
        }
        for (String store : List.of(ArbitrageStores.OPEN, ArbitrageStores.OPEN_CYCLES)) {
            try (KeyValueIterator<String, ArbitrageOpportunity> it = stores.<String, ArbitrageOpportunity>keyValueStore(
                    store, InstanceRouter.allowStale(ctx)).all()) {
                it.forEachRemaining(kv -> local.add(OpportunityView.of(kv.value)));
            }
        }
        router.respondMerged(ctx, Map.of(), "opportunities", local,
                Comparator.comparingInt((JsonNode o) -> o.path("edgeBasisPoints").asInt()).reversed());
    }

    /** One opportunity, open or recently closed, with its events from OPENED on. */
    private void opportunity(Context ctx) {
        String id = ctx.pathParam("opportunityId");
        OptionalInt partition = router.route(ctx, ArbitrageStores.HISTORY, ArbitrageStores.recordKey(id));
        if (partition.isEmpty()) {
            return;
        }
        List<OpportunityView> events = new ArrayList<>();
        try (KeyValueIterator<String, ArbitrageOpportunity> it = stores.<String, ArbitrageOpportunity>keyValueStore(
                ArbitrageStores.HISTORY, InstanceRouter.allowStale(ctx), partition)
                .prefixScan(ArbitrageStores.historyPrefix(id), new StringSerializer())) {
            it.forEachRemaining(kv -> events.add(OpportunityView.of(kv.value)));
        }
        if (events.isEmpty()) {
            throw ProblemException.notFound("no opportunity " + id + " (a closed one is kept for a while, then forgotten)");
        }
        Integer length = stores.<String, Integer>keyValueStore(ArbitrageStores.HISTORY_LENGTHS,
                InstanceRouter.allowStale(ctx), partition).get(id);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("opportunity", events.get(events.size() - 1));
        body.put("history", events);
        body.put("eventsDropped", length == null ? 0 : Math.max(0, length - events.size()));
        ctx.json(body);
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

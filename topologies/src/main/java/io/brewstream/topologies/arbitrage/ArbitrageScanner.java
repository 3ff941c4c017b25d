package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.OpportunityKind;
import io.brewstream.schemas.arbitrage.VenueBook;

/**
 * A pair's venues in its task: each update applied to its venue's book ({@link BookRules}), then every ordered pair
 * of venues looked at ({@link CrossVenueEdge}, with each venue's tiered taker fee and the buy venue's cheapest
 * withdrawal route from {@link FeeSchedule}) and its opportunity carried on ({@link OpportunityTracker}). Times are
 * the updates' own, so a replay gives the same events; a wall-clock punctuation closes what a silent venue holds.
 */
final class ArbitrageScanner implements Processor<String, BookUpdate, String, ArbitrageOpportunity> {
    private final ArbitrageSettings settings;
    /** Books by pair, then venue. */
    private GroupedBooks books;
    /** Open opportunities by pair. */
    private OpenOpportunities open;
    private VenueCosts costs;

    ArbitrageScanner(ArbitrageSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, ArbitrageOpportunity> context) {
        books = new GroupedBooks(context.getStateStore(ArbitrageStores.BOOKS));
        open = new OpenOpportunities(context, context.getStateStore(ArbitrageStores.OPEN), ArbitrageOpportunity::getPair,
                settings.maxBookAge(), this::closeSilent);
        costs = new VenueCosts(context.getStateStore(ArbitrageStores.FEES),
                context.getStateStore(ArbitrageStores.WITHDRAWAL_FEES), settings.maxTransferTime());
    }

    @Override
    public void process(Record<String, BookUpdate> record) {
        BookUpdate update = record.value();
        if (books.apply(update.getPair(), update.getVenue(), update) != null) {
            scan(update.getPair(), update.getVenue(), update.getReceivedAt(), record.timestamp());
        }
    }

    /**
     * Every ordered pair of this pair's venues that includes the updated one (no other pair changed; a book that
     * only aged is the punctuation's), at the time of the update.
     */
    private void scan(String pair, String updated, Instant at, long timestamp) {
        Collection<VenueBook> venues = books.of(pair).values();
        Map<String, ArbitrageOpportunity> openOfPair = open.of(pair);
        String asset = FeeSchedule.base(pair);
        for (VenueBook buy : venues) {
            for (VenueBook sell : venues) {
                if (buy.getVenue().equals(sell.getVenue())
                        || !buy.getVenue().equals(updated) && !sell.getVenue().equals(updated)) {
                    continue;
                }
                String key = ArbitrageStores.opportunity(pair, buy.getVenue(), sell.getVenue());
                ArbitrageOpportunity current = openOfPair.get(key);
                ExchangeFees buyFees = costs.fees(buy.getVenue());
                ExchangeFees sellFees = costs.fees(sell.getVenue());
                FeeSchedule.Route route = costs.route(buy.getVenue(), asset);
                Optional<String> excluded = BookRules.exclusion(buy, at, settings.maxBookAge())
                        .or(() -> BookRules.exclusion(sell, at, settings.maxBookAge()))
                        .or(() -> buyFees == null || sellFees == null ? Optional.of("no fees known")
                                : !buyFees.getEnabled() || !sellFees.getEnabled() ? Optional.of("venue disabled")
                                : route instanceof FeeSchedule.Route.NoRoute ? Optional.of("no transfer route")
                                : Optional.empty());
                OpportunityTracker.Step step;
                if (excluded.isPresent()) {
                    if (current == null) {
                        continue;
                    }
                    step = OpportunityTracker.close(current, excluded.get(), at);
                } else {
                    int threshold = settings.threshold(pair) - (current == null ? 0 : settings.hysteresisBasisPoints());
                    Optional<Edge> edge = CrossVenueEdge.find(pair, buy.getVenue(), buy.getAsks(),
                            BookRules.lot(buy, settings.minLot()), sell.getVenue(), sell.getBids(),
                            BookRules.lot(sell, settings.minLot()), costs(buy.getVenue(), sell.getVenue(), buyFees, route),
                            threshold);
                    step = OpportunityTracker.onEdge(current, OpportunityKind.CROSS_VENUE, pair, buy.getVenue(),
                            sell.getVenue(), edge, settings, at);
                }
                open.save(key, current, step, timestamp);
            }
        }
    }

    /** The buy venue's taker fee at its tier, the sell venue's, and the cost of moving the asset between them. */
    private CrossVenueEdge.Costs costs(String buyVenue, String sellVenue, ExchangeFees buy, FeeSchedule.Route route) {
        int buyFee = costs.takerFeeBasisPoints(buyVenue);
        int sellFee = costs.takerFeeBasisPoints(sellVenue);
        if (route instanceof FeeSchedule.Route.Network network) {
            // a listed route is the whole cost: the exchange's flat cost stands in only where none is listed
            return new CrossVenueEdge.Costs(buyFee, sellFee, BigDecimal.ZERO, network.fee().getFee(),
                    network.fee().getNetwork(), network.fee().getTransferSeconds());
        }
        return CrossVenueEdge.Costs.flat(buyFee, sellFee, buy.getTransferCost());
    }

    /** A venue gone silent holds no opportunity open for longer than the bound and half of it. */
    private void closeSilent(long wallClock) {
        Instant now = Instant.ofEpochMilli(wallClock);
        for (KeyValue<String, ArbitrageOpportunity> kv : open.all()) {
            ArbitrageOpportunity o = kv.value;
            for (String venue : List.of(o.getBuyExchange(), o.getSellExchange())) {
                VenueBook book = books.of(o.getPair()).get(venue);
                Optional<String> why = book == null ? Optional.of("stale") : BookRules.exclusion(book, now, settings.maxBookAge());
                if (why.isPresent()) {
                    open.save(kv.key, o, OpportunityTracker.close(o, why.get(), now), wallClock);
                    break;
                }
            }
        }
    }
}

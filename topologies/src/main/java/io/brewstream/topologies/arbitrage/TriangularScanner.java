package io.brewstream.topologies.arbitrage;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.OpportunityKind;
import io.brewstream.schemas.arbitrage.OpportunityLeg;
import io.brewstream.schemas.arbitrage.VenueBook;

/**
 * A venue's pairs in its task (the updates re-keyed by venue): each update applied to its book, then every cycle
 * through the updated pair looked at ({@link TriangularCycles}) and carried on ({@link OpportunityTracker}). A
 * cycle takes part only while every one of its books does; a wall-clock punctuation closes what a silent book
 * holds open. Times are the updates' own, so a replay gives the same events.
 */
final class TriangularScanner implements Processor<String, BookUpdate, String, ArbitrageOpportunity> {
    private final ArbitrageSettings settings;
    /** Books by venue, then pair. */
    private GroupedBooks books;
    /** Open cycles by venue. */
    private OpenOpportunities open;
    private VenueCosts costs;
    /** Each venue's books as doubles for the search, made when first needed after a book changed. */
    private final Map<String, Map<String, BookDepth>> depthsByVenue = new HashMap<>();
    /** The cycles through a venue's pair, for the set of pairs the venue had when they were found. */
    private final Map<String, Map.Entry<List<String>, List<TriangularCycles.Cycle>>> cycles = new HashMap<>();

    TriangularScanner(ArbitrageSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, ArbitrageOpportunity> context) {
        books = new GroupedBooks(context.getStateStore(ArbitrageStores.VENUE_PAIR_BOOKS));
        open = new OpenOpportunities(context, context.getStateStore(ArbitrageStores.OPEN_CYCLES),
                ArbitrageOpportunity::getBuyExchange, settings.maxBookAge(), this::closeSilent);
        costs = new VenueCosts(context.getStateStore(ArbitrageStores.FEES),
                context.getStateStore(ArbitrageStores.WITHDRAWAL_FEES), settings.maxTransferTime());
    }

    @Override
    public void process(Record<String, BookUpdate> record) {
        BookUpdate update = record.value();
        if (books.apply(update.getVenue(), update.getPair(), update) != null) {
            depthsByVenue.computeIfAbsent(update.getVenue(), v -> new HashMap<>()).remove(update.getPair());
            scan(update.getVenue(), update.getPair(), update.getReceivedAt(), record.timestamp());
        }
    }

    private void scan(String venue, String pair, Instant at, long timestamp) {
        Map<String, VenueBook> venueBooks = books.of(venue);
        Map<String, ArbitrageOpportunity> openOfVenue = open.of(venue);
        ExchangeFees venueFees = costs.fees(venue);
        for (TriangularCycles.Cycle cycle : cyclesThrough(venue, pair, venueBooks)) {
            String key = ArbitrageStores.cycle(venue, cycle.label());
            ArbitrageOpportunity current = openOfVenue.get(key);
            Optional<String> excluded = venueFees == null ? Optional.of("no fees known")
                    : !venueFees.getEnabled() ? Optional.of("venue disabled")
                    : exclusion(cycle.pairs(), venueBooks::get, at);
            OpportunityTracker.Step step;
            if (excluded.isPresent()) {
                if (current == null) {
                    continue;
                }
                step = OpportunityTracker.close(current, excluded.get(), at);
            } else {
                int threshold = settings.threshold(cycle.label()) - (current == null ? 0 : settings.hysteresisBasisPoints());
                Map<String, BookDepth> depths = depthsByVenue.computeIfAbsent(venue, v -> new HashMap<>());
                Optional<Edge> edge = TriangularCycles.find(cycle, venue, venueBooks::get,
                        p -> depths.computeIfAbsent(p, q -> BookDepth.of(venueBooks.get(q))),
                        p -> BookRules.lot(venueBooks.get(p), settings.minLot()),
                        costs.takerFeeBasisPoints(venue), threshold);
                step = OpportunityTracker.onEdge(current, OpportunityKind.TRIANGULAR, cycle.label(), venue, venue, edge,
                        settings, at);
            }
            open.save(key, current, step, timestamp);
        }
    }

    /** The cycles through the pair, found again only when the venue's set of pairs changed. */
    private List<TriangularCycles.Cycle> cyclesThrough(String venue, String pair, Map<String, VenueBook> venueBooks) {
        List<String> pairs = List.copyOf(venueBooks.keySet()); // in order: the books are kept sorted by pair
        String key = ArbitrageStores.book(venue, pair);
        Map.Entry<List<String>, List<TriangularCycles.Cycle>> known = cycles.get(key);
        if (known == null || !known.getKey().equals(pairs)) {
            known = Map.entry(pairs, TriangularCycles.through(pairs, pair, settings.startAssets(), settings.maxCycleLegs()));
            cycles.put(key, known);
        }
        return known.getValue();
    }

    /** Why one of the cycle's books takes no part now, or empty when all may. */
    private Optional<String> exclusion(Iterable<String> pairs, Function<String, VenueBook> book, Instant at) {
        for (String p : pairs) {
            VenueBook b = book.apply(p);
            Optional<String> why = b == null ? Optional.of("stale") : BookRules.exclusion(b, at, settings.maxBookAge());
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    /** A book gone silent holds no cycle open for longer than the bound and half of it. */
    private void closeSilent(long wallClock) {
        Instant now = Instant.ofEpochMilli(wallClock);
        for (KeyValue<String, ArbitrageOpportunity> kv : open.all()) {
            ArbitrageOpportunity o = kv.value;
            List<String> pairs = o.getLegs().stream().map(OpportunityLeg::getPair).toList();
            exclusion(pairs, books.of(o.getBuyExchange())::get, now)
                    .ifPresent(why -> open.save(kv.key, o, OpportunityTracker.close(o, why, now), wallClock));
        }
    }
}

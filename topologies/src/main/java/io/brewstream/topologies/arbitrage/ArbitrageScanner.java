package io.brewstream.topologies.arbitrage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.VenueBook;

/**
 * A pair's venues in its task: each update applied to its venue's book ({@link BookRules}), then every ordered pair
 * of venues looked at ({@link CrossVenueEdge}) and its opportunity carried on ({@link OpportunityTracker}). Times are
 * the updates' own, so a replay gives the same events; a wall-clock punctuation closes what a silent venue holds.
 */
final class ArbitrageScanner implements Processor<String, BookUpdate, String, ArbitrageOpportunity> {
    private final ArbitrageSettings settings;
    private ProcessorContext<String, ArbitrageOpportunity> context;
    private KeyValueStore<String, VenueBook> books;
    private KeyValueStore<String, ArbitrageOpportunity> open;
    private KeyValueStore<String, ExchangeFees> fees;

    ArbitrageScanner(ArbitrageSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, ArbitrageOpportunity> context) {
        this.context = context;
        books = context.getStateStore(ArbitrageStores.BOOKS);
        open = context.getStateStore(ArbitrageStores.OPEN);
        fees = context.getStateStore(ArbitrageStores.FEES);
        Duration interval = settings.maxBookAge().dividedBy(2);
        context.schedule(interval.isZero() ? Duration.ofMillis(100) : interval, PunctuationType.WALL_CLOCK_TIME,
                this::closeSilent);
    }

    @Override
    public void process(Record<String, BookUpdate> record) {
        BookUpdate update = record.value();
        String key = ArbitrageStores.book(update.getPair(), update.getVenue());
        VenueBook before = books.get(key);
        VenueBook after = BookRules.apply(before, update);
        if (after == before) {
            return; // a redelivered update changes nothing
        }
        books.put(key, after);
        scan(update.getPair(), update.getReceivedAt(), record.timestamp());
    }

    /** Every ordered pair of this pair's venues, at the time of the update that changed one of them. */
    private void scan(String pair, Instant at, long timestamp) {
        List<VenueBook> venues = new ArrayList<>();
        try (KeyValueIterator<String, VenueBook> it = books.prefixScan(pair + "|", new StringSerializer())) {
            it.forEachRemaining(kv -> venues.add(kv.value));
        }
        for (VenueBook buy : venues) {
            for (VenueBook sell : venues) {
                if (buy.getVenue().equals(sell.getVenue())) {
                    continue;
                }
                String key = ArbitrageStores.opportunity(pair, buy.getVenue(), sell.getVenue());
                ArbitrageOpportunity current = open.get(key);
                ExchangeFees buyFees = fees.get(buy.getVenue());
                ExchangeFees sellFees = fees.get(sell.getVenue());
                Optional<String> excluded = BookRules.exclusion(buy, at, settings.maxBookAge())
                        .or(() -> BookRules.exclusion(sell, at, settings.maxBookAge()))
                        .or(() -> buyFees == null || sellFees == null ? Optional.of("no fees known")
                                : !buyFees.getEnabled() || !sellFees.getEnabled() ? Optional.of("venue disabled")
                                : Optional.empty());
                OpportunityTracker.Step step;
                if (excluded.isPresent()) {
                    if (current == null) {
                        continue;
                    }
                    step = OpportunityTracker.close(current, excluded.get(), at);
                } else {
                    int threshold = settings.threshold(pair) - (current == null ? 0 : settings.hysteresisBasisPoints());
                    Optional<CrossVenueEdge.Edge> edge = CrossVenueEdge.find(buy.getAsks(), sell.getBids(),
                            buyFees.getTakerFeeBasisPoints(), sellFees.getTakerFeeBasisPoints(), buyFees.getTransferCost(),
                            threshold, settings.minLot());
                    step = OpportunityTracker.onEdge(current, pair, buy.getVenue(), sell.getVenue(), edge, settings, at);
                }
                save(key, current, step, timestamp);
            }
        }
    }

    private void save(String key, ArbitrageOpportunity before, OpportunityTracker.Step step, long timestamp) {
        if (step.open() == null) {
            if (before != null) {
                open.delete(key);
            }
        } else if (!step.open().equals(before)) {
            open.put(key, step.open());
        }
        step.event().ifPresent(event -> context.forward(new Record<>(event.getPair(), event, timestamp)));
    }

    /** A venue gone silent holds no opportunity open for longer than the bound and half of it. */
    private void closeSilent(long wallClock) {
        Instant now = Instant.ofEpochMilli(wallClock);
        List<KeyValue<String, ArbitrageOpportunity>> all = new ArrayList<>();
        try (KeyValueIterator<String, ArbitrageOpportunity> it = open.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, ArbitrageOpportunity> kv : all) {
            ArbitrageOpportunity o = kv.value;
            for (String venue : List.of(o.getBuyExchange(), o.getSellExchange())) {
                VenueBook book = books.get(ArbitrageStores.book(o.getPair(), venue));
                Optional<String> why = book == null ? Optional.of("stale") : BookRules.exclusion(book, now, settings.maxBookAge());
                if (why.isPresent()) {
                    save(kv.key, o, OpportunityTracker.close(o, why.get(), now), wallClock);
                    break;
                }
            }
        }
    }
}

package io.brewstream.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.brewstream.schemas.arbitrage.BookLevel;
import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/**
 * A market of several venues for the demo and the bench: one pair whose mid price drifts (a seeded random walk),
 * each venue quoting five levels a side around it with its own spread, fees and publishing interval, on
 * {@code arbitrage.book-updates} (a snapshot every 20 updates, deltas in between); their fees on
 * {@code arbitrage.exchange-fees}. Labelled events can be scripted
 * or drawn at random: a dislocation (one venue's prices shifted by some basis points for a while), a sequence gap,
 * a stall (a venue falls silent) and a halt. Each dislocation is recorded with its start and end, so a bench can
 * tell whether every real one was found.
 */
public final class MarketSimulator implements AutoCloseable {
    /** A venue: its name, taker fee, flat transfer cost (quote), half-spread and how often it publishes. */
    public record Venue(String name, int takerFeeBasisPoints, BigDecimal transferCost, int halfSpreadBasisPoints,
            Duration interval) {
    }

    /** A dislocation the simulator made: which venue, by how much, from when to when. */
    public record Dislocation(String venue, int basisPoints, Instant from, Instant until) {
    }

    public static final String PAIR = "ETH-USDC";
    private static final int LEVELS = 5;
    private static final BigDecimal LEVEL_SIZE = new BigDecimal("0.5");

    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<BookUpdate> updates;
    private final List<Venue> venues;
    private final Random random;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "market-simulator");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Long> sequences = new ConcurrentHashMap<>();
    private final Map<String, Integer> shiftBasisPoints = new ConcurrentHashMap<>();
    private final Map<String, Instant> silentUntil = new ConcurrentHashMap<>();
    private final Map<String, Instant> haltedUntil = new ConcurrentHashMap<>();
    private final List<Dislocation> dislocations = new CopyOnWriteArrayList<>();
    /** Each venue's last published levels, and how many updates since its last snapshot. */
    private final Map<String, List<BookLevel>> lastBids = new ConcurrentHashMap<>();
    private final Map<String, List<BookLevel>> lastAsks = new ConcurrentHashMap<>();
    private final Map<String, Integer> sinceSnapshot = new ConcurrentHashMap<>();
    /** A snapshot every this many updates; deltas in between. */
    private static final int SNAPSHOT_EVERY = 20;
    private volatile BigDecimal mid = new BigDecimal("3000");

    public MarketSimulator(String bootstrapServers, AvroSerdes serdes, List<Venue> venues, long seed) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
        this.updates = Topics.BOOK_UPDATES.valueSerde(serdes).serializer();
        this.venues = List.copyOf(venues);
        this.random = new Random(seed);
        Serializer<ExchangeFees> fees = Topics.EXCHANGE_FEES.valueSerde(serdes).serializer();
        for (Venue venue : venues) {
            ExchangeFees f = ExchangeFees.newBuilder().setExchange(venue.name()).setTakerFeeBasisPoints(venue.takerFeeBasisPoints())
                    .setTransferCost(venue.transferCost().setScale(18)).build();
            producer.send(new ProducerRecord<>(Topics.EXCHANGE_FEES.name(), venue.name(), fees.serialize(Topics.EXCHANGE_FEES.name(), f)));
        }
        producer.flush();
    }

    /** Three venues with different fees, spreads and speeds. */
    public static List<Venue> demoVenues() {
        return List.of(new Venue("alpha", 10, new BigDecimal("1.5"), 3, Duration.ofMillis(100)),
                new Venue("beta", 8, new BigDecimal("2"), 4, Duration.ofMillis(150)),
                new Venue("gamma", 20, new BigDecimal("1"), 5, Duration.ofMillis(250)));
    }

    /** Starts publishing; with {@code randomEvents}, dislocations, gaps, stalls and halts happen by themselves. */
    public MarketSimulator start(boolean randomEvents) {
        timer.scheduleAtFixedRate(this::drift, 100, 100, TimeUnit.MILLISECONDS);
        for (Venue venue : venues) {
            timer.scheduleAtFixedRate(() -> publish(venue), 0, venue.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (randomEvents) {
            timer.scheduleAtFixedRate(this::randomEvent, 5, 5, TimeUnit.SECONDS);
        }
        return this;
    }

    /** Shifts a venue's prices by {@code basisPoints} for {@code duration}: a labelled dislocation. */
    public void dislocate(String venue, int basisPoints, Duration duration) {
        Instant now = Instant.now();
        shiftBasisPoints.put(venue, basisPoints);
        dislocations.add(new Dislocation(venue, basisPoints, now, now.plus(duration)));
        timer.schedule(() -> shiftBasisPoints.remove(venue), duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The venue skips a sequence number: its book is inconsistent until its next snapshot. */
    public void gap(String venue) {
        sequences.merge(venue, 1L, Long::sum);
    }

    /** The venue publishes nothing for {@code duration}. */
    public void stall(String venue, Duration duration) {
        silentUntil.put(venue, Instant.now().plus(duration));
    }

    /** The venue halts trading in the pair for {@code duration}. */
    public void halt(String venue, Duration duration) {
        haltedUntil.put(venue, Instant.now().plus(duration));
    }

    public List<Dislocation> dislocations() {
        return List.copyOf(dislocations);
    }

    private void drift() {
        // a random walk of at most one basis point a step
        BigDecimal step = BigDecimal.valueOf(random.nextInt(3) - 1).divide(BigDecimal.valueOf(10_000));
        mid = mid.multiply(BigDecimal.ONE.add(step)).setScale(6, RoundingMode.HALF_EVEN);
    }

    private void randomEvent() {
        Venue venue = venues.get(random.nextInt(venues.size()));
        switch (random.nextInt(4)) {
            case 0 -> dislocate(venue.name(), 40 + random.nextInt(60) * (random.nextBoolean() ? 1 : -1), Duration.ofSeconds(2));
            case 1 -> gap(venue.name());
            case 2 -> stall(venue.name(), Duration.ofSeconds(3));
            default -> halt(venue.name(), Duration.ofSeconds(2));
        }
    }

    private void publish(Venue venue) {
        Instant now = Instant.now();
        if (now.isBefore(silentUntil.getOrDefault(venue.name(), Instant.EPOCH))) {
            return;
        }
        try {
            BigDecimal center = mid.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(shiftBasisPoints.getOrDefault(venue.name(), 0))
                    .divide(BigDecimal.valueOf(10_000))));
            List<BookLevel> bids = new ArrayList<>();
            List<BookLevel> asks = new ArrayList<>();
            for (int i = 0; i < LEVELS; i++) {
                BigDecimal offset = BigDecimal.valueOf(venue.halfSpreadBasisPoints() + 2L * i).divide(BigDecimal.valueOf(10_000));
                bids.add(level(center.multiply(BigDecimal.ONE.subtract(offset)), LEVEL_SIZE));
                asks.add(level(center.multiply(BigDecimal.ONE.add(offset)), LEVEL_SIZE));
            }
            boolean snapshot = sinceSnapshot.merge(venue.name(), 1, Integer::sum) % SNAPSHOT_EVERY == 1;
            List<BookLevel> sentBids = snapshot ? bids : delta(lastBids.get(venue.name()), bids);
            List<BookLevel> sentAsks = snapshot ? asks : delta(lastAsks.get(venue.name()), asks);
            lastBids.put(venue.name(), bids);
            lastAsks.put(venue.name(), asks);
            BookUpdate update = BookUpdate.newBuilder().setVenue(venue.name()).setPair(PAIR)
                    .setSequence(sequences.merge(venue.name(), 1L, Long::sum)).setSnapshot(snapshot).setBids(sentBids)
                    .setAsks(sentAsks)
                    .setHalted(now.isBefore(haltedUntil.getOrDefault(venue.name(), Instant.EPOCH)))
                    .setVenueTime(now).setReceivedAt(now).build();
            producer.send(new ProducerRecord<>(Topics.BOOK_UPDATES.name(), PAIR, updates.serialize(Topics.BOOK_UPDATES.name(), update)));
        } catch (RuntimeException e) {
            // a failing send is retried by the next tick: the simulator goes on
        }
    }

    /** Levels gone from the book (size 0), then the levels now. */
    private static List<BookLevel> delta(List<BookLevel> before, List<BookLevel> now) {
        List<BookLevel> changes = new ArrayList<>();
        if (before != null) {
            for (BookLevel old : before) {
                if (now.stream().noneMatch(l -> l.getPrice().compareTo(old.getPrice()) == 0)) {
                    changes.add(level(old.getPrice(), BigDecimal.ZERO));
                }
            }
        }
        changes.addAll(now);
        return changes;
    }

    private static BookLevel level(BigDecimal price, BigDecimal size) {
        return BookLevel.newBuilder().setPrice(price.setScale(18, RoundingMode.HALF_EVEN)).setSize(size.setScale(18)).build();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}

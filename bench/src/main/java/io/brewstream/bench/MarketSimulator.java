package io.brewstream.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.WithdrawalFee;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/**
 * A live market for the demo and the integration tests ({@code standalone --simulate-market}): a
 * {@link SyntheticMarket} of three pairs (ETH-USDC, BTC-USDC and ETH-BTC, so triangular cycles exist) on several
 * venues, each venue publishing all its books on its own interval to {@code arbitrage.book-updates}; the venues'
 * fees and withdrawal routes on their compacted topics. Labelled events can be scripted or drawn at random: a
 * dislocation, a sequence gap, a stall and a halt.
 */
public final class MarketSimulator implements AutoCloseable {
    /** A venue: its name, taker fee, flat transfer cost (quote), half-spread and how often it publishes. */
    public record Venue(String name, int takerFeeBasisPoints, BigDecimal transferCost, int halfSpreadBasisPoints,
            Duration interval) {
    }

    public static final String PAIR = "ETH-USDC";
    public static final List<SyntheticMarket.Pair> PAIRS = List.of(
            new SyntheticMarket.Pair("ETH-USDC", new BigDecimal("0.0001"), new BigDecimal("3000"), new BigDecimal("0.5")),
            new SyntheticMarket.Pair("BTC-USDC", new BigDecimal("0.00001"), new BigDecimal("60000"), new BigDecimal("0.05")),
            new SyntheticMarket.Pair("ETH-BTC", new BigDecimal("0.0001"), BigDecimal.ONE, new BigDecimal("0.5")));

    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<BookUpdate> updates;
    private final List<Venue> venues;
    private final SyntheticMarket market;
    private final Random random;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "market-simulator");
        t.setDaemon(true);
        return t;
    });

    public MarketSimulator(String bootstrapServers, AvroSerdes serdes, List<Venue> venues, long seed) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
        this.updates = Topics.BOOK_UPDATES.valueSerde(serdes).serializer();
        this.venues = List.copyOf(venues);
        this.market = new SyntheticMarket(venues.stream().map(v -> new SyntheticMarket.Venue(v.name(),
                v.takerFeeBasisPoints(), v.transferCost(), v.halfSpreadBasisPoints())).toList(), PAIRS, seed);
        this.random = new Random(seed);
        Serializer<ExchangeFees> fees = Topics.EXCHANGE_FEES.valueSerde(serdes).serializer();
        Serializer<WithdrawalFee> withdrawals = Topics.WITHDRAWAL_FEES.valueSerde(serdes).serializer();
        for (Venue venue : venues) {
            ExchangeFees f = ExchangeFees.newBuilder().setExchange(venue.name()).setTakerFeeBasisPoints(venue.takerFeeBasisPoints())
                    .setTransferCost(venue.transferCost().setScale(18)).build();
            producer.send(new ProducerRecord<>(Topics.EXCHANGE_FEES.name(), venue.name(), fees.serialize(Topics.EXCHANGE_FEES.name(), f)));
            // ETH moves over a rollup in two minutes; BTC over lightning in one
            for (WithdrawalFee w : List.of(withdrawal(venue.name(), "ETH", "arbitrum", "0.0002", 120),
                    withdrawal(venue.name(), "BTC", "lightning", "0.000001", 60))) {
                producer.send(new ProducerRecord<>(Topics.WITHDRAWAL_FEES.name(), w.getExchange() + "|" + w.getAsset() + "|"
                        + w.getNetwork(), withdrawals.serialize(Topics.WITHDRAWAL_FEES.name(), w)));
            }
        }
        producer.flush();
    }

    private static WithdrawalFee withdrawal(String venue, String asset, String network, String fee, int seconds) {
        return WithdrawalFee.newBuilder().setExchange(venue).setAsset(asset).setNetwork(network)
                .setFee(new BigDecimal(fee).setScale(18)).setTransferSeconds(seconds).build();
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

    /** Shifts a venue's ETH-USDC prices by {@code basisPoints} for {@code duration}: a labelled dislocation. */
    public void dislocate(String venue, int basisPoints, Duration duration) {
        dislocate(venue, PAIR, basisPoints, duration);
    }

    /** Shifts a venue's prices of a pair by {@code basisPoints} for {@code duration}: a labelled dislocation. */
    public synchronized void dislocate(String venue, String pair, int basisPoints, Duration duration) {
        long now = System.currentTimeMillis();
        market.dislocate(venue, pair, basisPoints, now, now + duration.toMillis());
    }

    /** The venue skips a sequence number of every pair: its books are inconsistent until their next snapshots. */
    public synchronized void gap(String venue) {
        PAIRS.forEach(p -> market.gap(venue, p.name()));
    }

    /** The venue publishes nothing for {@code duration}. */
    public synchronized void stall(String venue, Duration duration) {
        long until = System.currentTimeMillis() + duration.toMillis();
        PAIRS.forEach(p -> market.stall(venue, p.name(), until));
    }

    /** The venue halts trading in every pair for {@code duration}. */
    public synchronized void halt(String venue, Duration duration) {
        long until = System.currentTimeMillis() + duration.toMillis();
        PAIRS.forEach(p -> market.halt(venue, p.name(), until));
    }

    public synchronized List<SyntheticMarket.Dislocation> dislocations() {
        return market.dislocations();
    }

    private synchronized void drift() {
        // a random walk of at most one basis point a step
        PAIRS.forEach(p -> market.drift(p.name(), 1));
    }

    private synchronized void randomEvent() {
        Venue venue = venues.get(random.nextInt(venues.size()));
        switch (random.nextInt(4)) {
            case 0 -> dislocate(venue.name(), PAIRS.get(random.nextInt(PAIRS.size())).name(),
                    (40 + random.nextInt(60)) * (random.nextBoolean() ? 1 : -1), Duration.ofSeconds(2));
            case 1 -> gap(venue.name());
            case 2 -> stall(venue.name(), Duration.ofSeconds(3));
            default -> halt(venue.name(), Duration.ofSeconds(2));
        }
    }

    private void publish(Venue venue) {
        try {
            for (SyntheticMarket.Pair pair : PAIRS) {
                BookUpdate update;
                synchronized (this) {
                    update = market.update(venue.name(), pair.name(), System.currentTimeMillis());
                }
                if (update != null) {
                    producer.send(new ProducerRecord<>(Topics.BOOK_UPDATES.name(), pair.name(),
                            updates.serialize(Topics.BOOK_UPDATES.name(), update)));
                }
            }
        } catch (RuntimeException e) {
            // a failing send is retried by the next tick: the simulator goes on
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}

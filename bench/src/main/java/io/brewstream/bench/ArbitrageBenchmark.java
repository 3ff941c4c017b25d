package io.brewstream.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.BookLevel;
import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.LegSide;
import io.brewstream.schemas.arbitrage.OpportunityEvent;
import io.brewstream.schemas.arbitrage.OpportunityKind;
import io.brewstream.schemas.arbitrage.OpportunityLeg;
import io.brewstream.schemas.arbitrage.WithdrawalFee;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/**
 * The arbitrage topology against a {@link SyntheticMarket} of six venues and eight pairs (so triangular cycles
 * exist), in two runs:
 *
 * <ul>
 * <li><b>as fast as it goes</b>: book updates sent as fast as the bench can (with the same labelled events as
 * below, so opportunities open, change and close as they will), timed until the arbitrage application has
 * committed all of them on both its sub-topologies (cross-venue by pair, triangular by venue): book updates
 * processed per second;</li>
 * <li><b>at a given rate</b> (half that), with labelled events: dislocations (real ones of 60 to 150 bps, small
 * ones of 5 to 15 that fees eat), stalls during which the market jumps, halts with a tempting price, sequence gaps.
 * Every opportunity event is timed from the update that caused it (its {@code updatedAt}) to its arrival here;
 * every OPENED or UPDATED one is checked 100 ms after it arrived against the venues' true books (deeper than what
 * they publish): would its trades, at its stated size, still make money after fees and the withdrawal? A naive
 * detector runs on the same published updates (best bid above best ask, fees, freshness, halts and gaps ignored,
 * the size at the top of the book) and its opportunities are checked the same way. Each real dislocation must have
 * been found while it lasted.</li>
 * </ul>
 * The check is the bench's own code, not the topology's (an oracle must not share the code it judges).
 */
public final class ArbitrageBenchmark {
    /** What the paced run saw besides latencies. */
    public record Accuracy(long updatesSent, int realDislocations, int realFound, List<String> realMissed,
            int smallDislocations, long emitted, long notExecutable, double notExecutableRate, long triangularEmitted,
            long naiveEmitted, long naiveNotExecutable, double naiveNotExecutableRate,
            Map<String, Long> notExecutableBecause, Map<String, Long> events, long stallsWithJumps, long halts,
            long gaps) {
    }

    /** The paced run: its timing, and its accuracy. */
    public record PacedRun(BenchResult timing, Accuracy accuracy) {
    }

    public static final List<SyntheticMarket.Venue> VENUES = List.of(
            new SyntheticMarket.Venue("v-alpha", 10, BigDecimal.ZERO, 2),
            new SyntheticMarket.Venue("v-beta", 8, BigDecimal.ZERO, 3),
            new SyntheticMarket.Venue("v-gamma", 6, BigDecimal.ZERO, 4),
            new SyntheticMarket.Venue("v-delta", 10, BigDecimal.ZERO, 3),
            new SyntheticMarket.Venue("v-epsilon", 7, BigDecimal.ZERO, 5),
            new SyntheticMarket.Venue("v-zeta", 9, BigDecimal.ZERO, 2));
    public static final List<SyntheticMarket.Pair> PAIRS = List.of(
            pair("ETH-USDC", "0.0001", "3000", "2"), pair("BTC-USDC", "0.00001", "60000", "0.1"),
            pair("SOL-USDC", "0.01", "150", "40"), pair("LINK-USDC", "0.01", "15", "400"),
            pair("ETH-BTC", "0.0001", "1", "2"), pair("SOL-ETH", "0.01", "1", "40"),
            pair("LINK-ETH", "0.01", "1", "400"), pair("SOL-BTC", "0.01", "1", "40"));
    /** Withdrawal fee (in the asset) and network of each asset, the same on every venue. */
    private static final Map<String, String[]> WITHDRAWALS = Map.of(
            "ETH", new String[] {"arbitrum", "0.0002", "120"}, "BTC", new String[] {"lightning", "0.000001", "60"},
            "SOL", new String[] {"solana", "0.01", "30"}, "LINK", new String[] {"arbitrum", "0.05", "120"});
    /** An opportunity is judged this long after it was seen. */
    private static final long CHECK_AFTER_MILLIS = 100;
    private static final BigDecimal BASIS = BigDecimal.valueOf(10_000);

    private final String bootstrapServers;
    private final AvroSerdes serdes;
    private final String applicationId;
    private final long seed;

    /** @param applicationId the arbitrage application's id (its consumer group) */
    public ArbitrageBenchmark(String bootstrapServers, AvroSerdes serdes, String applicationId, long seed) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = serdes;
        this.applicationId = applicationId;
        this.seed = seed;
    }

    private static SyntheticMarket.Pair pair(String name, String lot, String mid, String levelSize) {
        return new SyntheticMarket.Pair(name, new BigDecimal(lot), new BigDecimal(mid), new BigDecimal(levelSize));
    }

    /** The venues' fees and withdrawal routes, on their compacted topics, before any update. */
    public void publishFees() {
        Serializer<ExchangeFees> fees = Topics.EXCHANGE_FEES.valueSerde(serdes).serializer();
        Serializer<WithdrawalFee> withdrawals = Topics.WITHDRAWAL_FEES.valueSerde(serdes).serializer();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (SyntheticMarket.Venue venue : VENUES) {
                producer.send(new ProducerRecord<>(Topics.EXCHANGE_FEES.name(), venue.name(), fees.serialize(
                        Topics.EXCHANGE_FEES.name(), ExchangeFees.newBuilder().setExchange(venue.name())
                                .setTakerFeeBasisPoints(venue.takerFeeBasisPoints())
                                .setTransferCost(BigDecimal.ZERO.setScale(18)).build())));
                WITHDRAWALS.forEach((asset, route) -> producer.send(new ProducerRecord<>(Topics.WITHDRAWAL_FEES.name(),
                        venue.name() + "|" + asset + "|" + route[0], withdrawals.serialize(Topics.WITHDRAWAL_FEES.name(),
                                WithdrawalFee.newBuilder().setExchange(venue.name()).setAsset(asset).setNetwork(route[0])
                                        .setFee(new BigDecimal(route[1]).setScale(18))
                                        .setTransferSeconds(Integer.parseInt(route[2])).build()))));
            }
            producer.flush();
        }
    }

    /**
     * {@code updates} book updates as fast as they can be sent, timed until the application committed them all.
     * They are made before the clock starts (on a virtual clock of {@link #VIRTUAL_RATE} a second, which the
     * scripted events follow) and stamped with the time they are sent, so what is timed is the pipe and the
     * topology, as for the raw pipe, not the market's making of them.
     */
    public BenchResult asFastAsItGoes(String name, int updates, Duration timeout) throws Exception {
        SyntheticMarket market = new SyntheticMarket(VENUES, PAIRS, seed, SyntheticMarket.LEVELS);
        Serializer<BookUpdate> serializer = Topics.BOOK_UPDATES.valueSerde(serdes).serializer();
        List<String[]> books = books();
        // the same labelled events as the paced run: opportunities cost more than a calm market
        Events scripted = new Events(market, new Random(seed + 3), books);
        long virtualStart = System.currentTimeMillis();
        List<BookUpdate> made = new ArrayList<>(updates);
        for (int i = 0; i < updates; i++) {
            String[] book = books.get(i % books.size());
            long virtualNow = virtualStart + i * 1_000L / VIRTUAL_RATE;
            scripted.at(virtualNow - virtualStart, virtualNow);
            market.drift(book[1], 0.05);
            BookUpdate update = market.update(book[0], book[1], virtualNow);
            if (update != null) { // null: a stalled venue
                made.add(update);
            }
        }
        AtomicLong failed = new AtomicLong();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
                ProcessSampler sampler = new ProcessSampler();
                KafkaProducer<String, byte[]> producer = producer()) {
            long start = System.nanoTime();
            for (BookUpdate update : made) {
                java.time.Instant now = java.time.Instant.ofEpochMilli(System.currentTimeMillis());
                update.setReceivedAt(now);
                update.setVenueTime(now);
                producer.send(new ProducerRecord<>(Topics.BOOK_UPDATES.name(), update.getPair(),
                        serializer.serialize(Topics.BOOK_UPDATES.name(), update)), (m, e) -> {
                            if (e != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
            producer.flush();
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            awaitCommitted(admin, timeout);
            double seconds = (System.nanoTime() - start) / 1e9;
            ProcessSampler.Usage usage = sampler.usage();
            long sent = made.size();
            System.out.printf("arbitrage: %d updates sent in %.1f s (%.0f/s), all processed after %.1f s%n", sent,
                    sendSeconds, sent / sendSeconds, seconds);
            long completed = sent - failed.get();
            return new BenchResult(name, sent, completed, failed.get(),
                    failed.get() == 0 ? Map.of() : Map.of("send failed", failed.get()), seconds, completed / seconds,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, List.of(), List.of(), usage.cpuPercent(),
                    usage.maxHeapMb(), usage.maxRssMb(), null, Map.of());
        }
    }

    /** The virtual clock of the updates made ahead of the run as fast as it goes, in updates a second. */
    private static final int VIRTUAL_RATE = 5_000;

    /**
     * Book updates at {@code rate} per second for {@code duration}, with labelled events; every opportunity event
     * timed from its update, the emitted ones checked 100 ms after they arrived, and the naive detector alongside.
     */
    public PacedRun paced(String name, int rate, Duration duration, Duration timeout) throws Exception {
        SyntheticMarket market = new SyntheticMarket(VENUES, PAIRS, seed + 1);
        Random random = new Random(seed + 2);
        Serializer<BookUpdate> serializer = Topics.BOOK_UPDATES.valueSerde(serdes).serializer();
        Deserializer<ArbitrageOpportunity> deserializer = Topics.ARBITRAGE_OPPORTUNITIES.valueSerde(serdes).deserializer();
        List<String[]> books = books();
        Measurement measurement = new Measurement(name);
        ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        List<ArbitrageOpportunity> events = new ArrayList<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        NaiveDetector naive = new NaiveDetector();
        PriorityQueue<Check> checks = new PriorityQueue<>(Comparator.comparingLong(Check::dueMillis));
        long[] judged = new long[4]; // ours emitted, ours not executable, naive emitted, naive not executable
        long triangular = 0;
        long updatesSent = 0;
        Map<String, Long> failures = new TreeMap<>();
        Map<String, Long> eventCounts = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer());
                ProcessSampler sampler = new ProcessSampler();
                KafkaProducer<String, byte[]> producer = producer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ARBITRAGE_OPPORTUNITIES.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            Thread reader = new Thread(() -> {
                while (reading.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                        long now = System.currentTimeMillis();
                        seen.add(new Seen(deserializer.deserialize(r.topic(), r.value()), now));
                    }
                }
            }, "arbitrage-bench-reader");
            reader.start();

            Events scripted = new Events(market, random, books);
            Pacer pacer = new Pacer(rate);
            long startMillis = System.currentTimeMillis();
            long endMillis = startMillis + duration.toMillis();
            long drainUntil = endMillis + 2_000;
            long i = 0;
            while (true) {
                long now = System.currentTimeMillis();
                if (now >= drainUntil) {
                    break;
                }
                if (now < endMillis) {
                    scripted.at(now - startMillis, now);
                }
                pacer.awaitTurn(i);
                String[] book = books.get((int) (i++ % books.size()));
                market.drift(book[1], 0.05);
                long sentAt = System.currentTimeMillis();
                BookUpdate update = market.update(book[0], book[1], sentAt);
                if (update != null) {
                    producer.send(new ProducerRecord<>(Topics.BOOK_UPDATES.name(), book[1],
                            serializer.serialize(Topics.BOOK_UPDATES.name(), update)));
                    updatesSent++;
                    if (sentAt < endMillis) {
                        naive.apply(update).forEach(o -> checks.add(new Check(sentAt + CHECK_AFTER_MILLIS, o, true)));
                    }
                }
                // what the topology said, timed from the update that caused it and checked 100 ms after
                for (Seen s; (s = seen.poll()) != null; ) {
                    ArbitrageOpportunity o = s.opportunity();
                    long lagMillis = s.arrivedMillis() - o.getUpdatedAt().toEpochMilli();
                    measurement.sent(); // what is timed is each event, from its update
                    measurement.completed(System.nanoTime() - lagMillis * 1_000_000);
                    eventCounts.merge(o.getKind() + " " + o.getEvent()
                            + (o.getCloseReason() == null ? "" : " (" + o.getCloseReason() + ")"), 1L, Long::sum);
                    events.add(o);
                    if (o.getEvent() != OpportunityEvent.CLOSED && s.arrivedMillis() < endMillis) {
                        checks.add(new Check(s.arrivedMillis() + CHECK_AFTER_MILLIS, o, false));
                        if (o.getKind() == OpportunityKind.TRIANGULAR) {
                            triangular++;
                        }
                    }
                }
                while (!checks.isEmpty() && checks.peek().dueMillis() <= sentAt) {
                    Check c = checks.poll();
                    Optional<String> why = whyNotExecutable(c.opportunity(), market, sentAt);
                    judged[c.naive() ? 2 : 0]++;
                    if (why.isPresent()) {
                        judged[c.naive() ? 3 : 1]++;
                        failures.merge((c.naive() ? "naive " : "ours " + c.opportunity().getKind() + " "
                                + c.opportunity().getEvent() + " ") + why.get(), 1L, Long::sum);
                    }
                }
            }
            reading.set(false);
            reader.join(5_000);
            ProcessSampler.Usage usage = sampler.usage();
            BenchResult timing = measurement.result(usage);
            // sent counts updates; completed counts events: not a ratio of one to the other
            System.out.println("arbitrage: " + updatesSent + " updates sent; events seen: " + eventCounts);

            List<SyntheticMarket.Dislocation> real = scripted.real();
            List<String> missed = new ArrayList<>();
            for (SyntheticMarket.Dislocation d : real) {
                if (!found(d, events)) {
                    missed.add(d.venue() + " " + d.pair() + " " + d.basisPoints() + " bps");
                }
            }
            Accuracy accuracy = new Accuracy(updatesSent, real.size(), real.size() - missed.size(), missed,
                    scripted.small, judged[0], judged[1], judged[0] == 0 ? 0 : (double) judged[1] / judged[0],
                    triangular, judged[2], judged[3], judged[2] == 0 ? 0 : (double) judged[3] / judged[2], failures,
                    eventCounts, scripted.stalls, scripted.halts, scripted.gaps);
            return new PacedRun(timing, accuracy);
        }
    }

    private record Seen(ArbitrageOpportunity opportunity, long arrivedMillis) {
    }

    private record Check(long dueMillis, ArbitrageOpportunity opportunity, boolean naive) {
    }

    /** An event of ours for the dislocated pair, on the dislocated venue's side, while it lasted. */
    private static boolean found(SyntheticMarket.Dislocation d, List<ArbitrageOpportunity> events) {
        for (ArbitrageOpportunity o : events) {
            long at = o.getUpdatedAt().toEpochMilli();
            if (o.getEvent() == OpportunityEvent.CLOSED || at < d.fromMillis() || at > d.untilMillis()) {
                continue;
            }
            boolean sameSide = d.basisPoints() > 0 ? o.getSellExchange().equals(d.venue()) : o.getBuyExchange().equals(d.venue());
            if (o.getKind() == OpportunityKind.CROSS_VENUE && o.getPair().equals(d.pair()) && sameSide) {
                return true;
            }
            if (o.getKind() == OpportunityKind.TRIANGULAR && o.getBuyExchange().equals(d.venue())
                    && o.getLegs().stream().anyMatch(l -> l.getPair().equals(d.pair()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The scripted events of the paced run, by the time since its start: a dislocation every second (seven in ten
     * real), a stall every four seconds during which its pair jumps 40 bps, a halt with an 80 bps lure every five,
     * and a gap every five.
     */
    private static final class Events {
        private final SyntheticMarket market;
        private final Random random;
        private final List<String[]> books;
        private final List<SyntheticMarket.Dislocation> real = new ArrayList<>();
        private final Map<String, Long> busyUntil = new HashMap<>();
        private final List<long[]> jumps = new ArrayList<>();
        private final List<String> jumpPairs = new ArrayList<>();
        private long nextDislocation = 500;
        private long nextStall = 2_000;
        private long nextHalt = 3_000;
        private long nextGap = 1_500;
        int small;
        long stalls;
        long halts;
        long gaps;

        Events(SyntheticMarket market, Random random, List<String[]> books) {
            this.market = market;
            this.random = random;
            this.books = books;
        }

        void at(long sinceStart, long now) {
            for (int j = 0; j < jumps.size(); j++) {
                if (jumps.get(j)[0] <= now) {
                    market.jump(jumpPairs.get(j), (int) jumps.get(j)[1]);
                    jumps.remove(j);
                    jumpPairs.remove(j);
                    j--;
                }
            }
            if (sinceStart >= nextDislocation) {
                nextDislocation += 1_000;
                String[] book = free(now);
                if (book != null) {
                    boolean isReal = random.nextInt(10) < 7;
                    int bps = (isReal ? 60 + random.nextInt(91) : 5 + random.nextInt(11)) * (random.nextBoolean() ? 1 : -1);
                    long until = now + 2_000 + random.nextInt(2_000);
                    SyntheticMarket.Dislocation d = market.dislocate(book[0], book[1], bps, now, until);
                    busyUntil.put(book[0] + "|" + book[1], until);
                    if (isReal) {
                        real.add(d);
                    } else {
                        small++;
                    }
                }
            }
            if (sinceStart >= nextStall) {
                nextStall += 4_000;
                String[] book = free(now);
                if (book != null && !book[1].endsWith("-BTC") && !book[1].endsWith("-ETH")) {
                    market.stall(book[0], book[1], now + 1_500);
                    busyUntil.put(book[0] + "|" + book[1], now + 1_500);
                    jumps.add(new long[] {now + 800, random.nextBoolean() ? 40 : -40});
                    jumpPairs.add(book[1]);
                    stalls++;
                }
            }
            if (sinceStart >= nextHalt) {
                nextHalt += 5_000;
                String[] book = free(now);
                if (book != null) {
                    market.halt(book[0], book[1], now + 1_000);
                    market.dislocate(book[0], book[1], 80, now, now + 1_000);
                    busyUntil.put(book[0] + "|" + book[1], now + 1_000);
                    halts++;
                }
            }
            if (sinceStart >= nextGap) {
                nextGap += 5_000;
                String[] book = books.get(random.nextInt(books.size()));
                market.gap(book[0], book[1]);
                gaps++;
            }
        }

        /** A book no other event holds now, or null. */
        private String[] free(long now) {
            for (int tries = 0; tries < 10; tries++) {
                String[] book = books.get(random.nextInt(books.size()));
                if (busyUntil.getOrDefault(book[0] + "|" + book[1], 0L) < now) {
                    return book;
                }
            }
            return null;
        }

        List<SyntheticMarket.Dislocation> real() {
            return real;
        }
    }

    /**
     * What a naive bot does: the top of every venue's book as published, and an opportunity whenever one venue's
     * best bid is above another's best ask, at the smaller of the two top sizes. Fees, freshness, halts and
     * sequence gaps ignored. Counted when a crossing starts.
     */
    private static final class NaiveDetector {
        private final Map<String, Map<String, BookLevel[]>> tops = new HashMap<>();
        private final Set<String> crossed = new java.util.HashSet<>();
        private final Map<String, TreeMap<BigDecimal, BigDecimal>> bids = new HashMap<>();
        private final Map<String, TreeMap<BigDecimal, BigDecimal>> asks = new HashMap<>();

        List<ArbitrageOpportunity> apply(BookUpdate u) {
            String key = u.getVenue() + "|" + u.getPair();
            TreeMap<BigDecimal, BigDecimal> b = bids.computeIfAbsent(key, k -> new TreeMap<>(Comparator.reverseOrder()));
            TreeMap<BigDecimal, BigDecimal> a = asks.computeIfAbsent(key, k -> new TreeMap<>());
            if (u.getSnapshot()) {
                b.clear();
                a.clear();
            }
            apply(b, u.getBids());
            apply(a, u.getAsks());
            if (b.isEmpty() || a.isEmpty()) {
                return List.of();
            }
            tops.computeIfAbsent(u.getPair(), p -> new HashMap<>()).put(u.getVenue(), new BookLevel[] {
                    level(b.firstEntry()), level(a.firstEntry())});
            List<ArbitrageOpportunity> found = new ArrayList<>();
            Map<String, BookLevel[]> venues = tops.get(u.getPair());
            for (Map.Entry<String, BookLevel[]> buy : venues.entrySet()) {
                for (Map.Entry<String, BookLevel[]> sell : venues.entrySet()) {
                    if (buy.getKey().equals(sell.getKey())) {
                        continue;
                    }
                    String id = u.getPair() + "|" + buy.getKey() + "|" + sell.getKey();
                    BookLevel ask = buy.getValue()[1];
                    BookLevel bid = sell.getValue()[0];
                    if (bid.getPrice().compareTo(ask.getPrice()) > 0) {
                        if (crossed.add(id)) {
                            BigDecimal size = ask.getSize().min(bid.getSize());
                            found.add(ArbitrageOpportunity.newBuilder().setOpportunityId(id).setPair(u.getPair())
                                    .setBuyExchange(buy.getKey()).setSellExchange(sell.getKey())
                                    .setBuyPrice(ask.getPrice()).setSellPrice(bid.getPrice()).setSize(size)
                                    .setNetSpreadBasisPoints(0).setStatus(io.brewstream.schemas.arbitrage.OpportunityStatus.OPEN)
                                    .setOpenedAt(u.getReceivedAt()).setLegs(List.of(
                                            leg(buy.getKey(), u.getPair(), LegSide.BUY, ask.getPrice(), size),
                                            leg(sell.getKey(), u.getPair(), LegSide.SELL, bid.getPrice(), size)))
                                    .build());
                        }
                    } else {
                        crossed.remove(id);
                    }
                }
            }
            return found;
        }

        private static void apply(TreeMap<BigDecimal, BigDecimal> side, List<BookLevel> levels) {
            for (BookLevel l : levels) {
                if (l.getSize().signum() == 0) {
                    side.remove(l.getPrice());
                } else {
                    side.put(l.getPrice(), l.getSize());
                }
            }
        }

        private static BookLevel level(Map.Entry<BigDecimal, BigDecimal> e) {
            return BookLevel.newBuilder().setPrice(e.getKey()).setSize(e.getValue()).build();
        }

        private static OpportunityLeg leg(String venue, String pair, LegSide side, BigDecimal price, BigDecimal size) {
            return OpportunityLeg.newBuilder().setVenue(venue).setPair(pair).setSide(side).setPrice(price)
                    .setBaseAmount(size).setQuoteAmount(price.multiply(size)).setFeeBasisPoints(0).build();
        }
    }

    /**
     * Why the opportunity's trades, at its stated size, would not make money now on the venues' true books, with
     * their taker fees and, across venues, the withdrawal of what was bought; empty when they would. Never on a
     * halted venue. A cycle's starting amount is carried through the true books as a trader would (each trade in
     * whole lots of what the last one brought).
     */
    static Optional<String> whyNotExecutable(ArbitrageOpportunity o, SyntheticMarket market, long now) {
        for (OpportunityLeg leg : o.getLegs()) {
            if (market.halted(leg.getVenue(), leg.getPair(), now)) {
                return Optional.of("halted");
            }
        }
        if (o.getKind() == OpportunityKind.CROSS_VENUE) {
            OpportunityLeg buy = o.getLegs().get(0);
            OpportunityLeg sell = o.getLegs().get(1);
            String asset = o.getPair().substring(0, o.getPair().indexOf('-'));
            BigDecimal withdrawal = new BigDecimal(WITHDRAWALS.get(asset)[1]);
            BigDecimal bought = buy.getBaseAmount().max(sell.getBaseAmount().add(withdrawal));
            BigDecimal cost = fill(market.trueAsks(buy.getVenue(), o.getPair()), bought);
            BigDecimal proceeds = fill(market.trueBids(sell.getVenue(), o.getPair()), sell.getBaseAmount());
            if (cost == null || proceeds == null) {
                return Optional.of("not that deep");
            }
            BigDecimal money = proceeds.multiply(keep(market, sell.getVenue()))
                    .subtract(cost.multiply(BigDecimal.ONE.add(fee(market, buy.getVenue()))));
            return money.signum() >= 0 ? Optional.empty() : Optional.of("loses money");
        }
        BigDecimal held = o.getSize();
        for (OpportunityLeg leg : o.getLegs()) {
            BigDecimal lot = market.pair(leg.getPair()).lot();
            BigDecimal keep = keep(market, leg.getVenue());
            if (leg.getSide() == LegSide.BUY) {
                BigDecimal base = affordable(market.trueAsks(leg.getVenue(), leg.getPair()), held);
                if (base == null) {
                    return Optional.of("not that deep");
                }
                held = base.divide(lot, 0, java.math.RoundingMode.DOWN).multiply(lot).multiply(keep);
            } else {
                BigDecimal base = held.divide(lot, 0, java.math.RoundingMode.DOWN).multiply(lot);
                BigDecimal proceeds = fill(market.trueBids(leg.getVenue(), leg.getPair()), base);
                if (proceeds == null) {
                    return Optional.of("not that deep");
                }
                held = proceeds.multiply(keep);
            }
        }
        return held.compareTo(o.getSize()) >= 0 ? Optional.empty() : Optional.of("loses money");
    }

    /** How much base {@code money} buys on the asks; null when they hold less. */
    private static BigDecimal affordable(List<BookLevel> asks, BigDecimal money) {
        BigDecimal left = money;
        BigDecimal base = BigDecimal.ZERO;
        for (BookLevel level : asks) {
            BigDecimal cost = level.getPrice().multiply(level.getSize());
            if (cost.compareTo(left) >= 0) {
                return base.add(left.divide(level.getPrice(), 18, java.math.RoundingMode.DOWN));
            }
            base = base.add(level.getSize());
            left = left.subtract(cost);
        }
        return null;
    }

    private static BigDecimal fee(SyntheticMarket market, String venue) {
        return BigDecimal.valueOf(market.venue(venue).takerFeeBasisPoints()).divide(BASIS);
    }

    private static BigDecimal keep(SyntheticMarket market, String venue) {
        return BigDecimal.ONE.subtract(fee(market, venue));
    }

    /** What {@code amount} of base costs (or brings) across the levels; null when they hold less. */
    private static BigDecimal fill(List<BookLevel> levels, BigDecimal amount) {
        BigDecimal left = amount;
        BigDecimal value = BigDecimal.ZERO;
        for (BookLevel level : levels) {
            BigDecimal take = left.min(level.getSize());
            value = value.add(take.multiply(level.getPrice()));
            left = left.subtract(take);
            if (left.signum() <= 0) {
                return value;
            }
        }
        return null;
    }

    /** Every venue's every pair, interleaved so consecutive updates are of different pairs. */
    private static List<String[]> books() {
        List<String[]> books = new ArrayList<>();
        for (SyntheticMarket.Venue venue : VENUES) {
            for (SyntheticMarket.Pair pair : PAIRS) {
                books.add(new String[] {venue.name(), pair.name()});
            }
        }
        books.sort(Comparator.comparing((String[] b) -> b[1]).thenComparing(b -> b[0]));
        List<String[]> interleaved = new ArrayList<>();
        for (int v = 0; v < VENUES.size(); v++) {
            for (int p = 0; p < PAIRS.size(); p++) {
                interleaved.add(books.get(p * VENUES.size() + (v + p) % VENUES.size()));
            }
        }
        return interleaved;
    }

    /** Until the application has committed every update on both of its sub-topologies. */
    private void awaitCommitted(Admin admin, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String repartition = applicationId + "-book-updates-by-venue-repartition";
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
            committed.keySet().stream().filter(tp -> tp.topic().equals(Topics.BOOK_UPDATES.name())
                    || tp.topic().equals(repartition)).forEach(tp -> wanted.put(tp, OffsetSpec.latest()));
            for (var p : admin.describeTopics(List.of(Topics.BOOK_UPDATES.name(), repartition)).allTopicNames().get()
                    .values()) {
                p.partitions().forEach(tpi -> wanted.put(new TopicPartition(p.name(), tpi.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> ends = admin.listOffsets(wanted).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            boolean done = true;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                long position = at == null ? 0 : at.offset();
                // the repartition topic is written in transactions: its last offset may be a commit marker
                long slack = end.getKey().topic().equals(repartition) ? 1 : 0;
                if (position + slack < end.getValue()) {
                    done = false;
                    break;
                }
            }
            if (done) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the arbitrage application did not commit every update within " + timeout);
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

}

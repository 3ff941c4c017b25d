package io.brewstream.topologies.arbitrage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.BookLevel;
import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.FeeTier;
import io.brewstream.schemas.arbitrage.LegSide;
import io.brewstream.schemas.arbitrage.OpportunityKind;
import io.brewstream.schemas.arbitrage.OpportunityLeg;
import io.brewstream.schemas.arbitrage.WithdrawalFee;
import io.brewstream.schemas.arbitrage.OpportunityEvent;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.support.DriverSupport;

/** Cross-venue opportunities on the TopologyTestDriver with the real registry's serdes. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class ArbitrageTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");
    private static final String PAIR = "ETH-USDC";
    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, BookUpdate> updates;
    private TestOutputTopic<String, ArbitrageOpportunity> opportunities;
    private final Map<String, Long> sequences = new java.util.HashMap<>();

    @TempDir
    Path stateDir;

    ArbitrageTopologyTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @BeforeEach
    void setUp() {
        support = driver(stateDir);
        updates = support.input(Topics.BOOK_UPDATES);
        opportunities = support.output(Topics.ARBITRAGE_OPPORTUNITIES);
    }

    private DriverSupport driver(Path dir) {
        DriverSupport driver = new DriverSupport(new ArbitrageTopology(ArbitrageSettings.of(Map.of(PAIR, 20), 20,
                Duration.ofSeconds(2), new BigDecimal("0.01"))), serdes, dir, T0);
        // 10 bps taker fees; moving ETH off a venue costs 1 USDC
        driver.seed(Topics.EXCHANGE_FEES, List.of(fees("alpha"), fees("beta"), fees("gamma")), ExchangeFees::getExchange);
        return driver;
    }

    private static ExchangeFees fees(String venue) {
        return ExchangeFees.newBuilder().setExchange(venue).setTakerFeeBasisPoints(10)
                .setTransferCost(new BigDecimal("1.000000000000000000")).build();
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    private static BookLevel level(String price, String size) {
        return BookLevel.newBuilder().setPrice(new BigDecimal(price).setScale(18)).setSize(new BigDecimal(size).setScale(18)).build();
    }

    private BookUpdate snapshot(String venue, Instant at, List<BookLevel> bids, List<BookLevel> asks) {
        return snapshot(venue, PAIR, null, at, bids, asks);
    }

    private BookUpdate snapshot(String venue, String pair, String lot, Instant at, List<BookLevel> bids,
            List<BookLevel> asks) {
        long seq = sequences.merge(venue + pair, 1L, Long::sum);
        return BookUpdate.newBuilder().setVenue(venue).setPair(pair).setSequence(seq).setSnapshot(true).setBids(bids)
                .setAsks(asks).setVenueTime(at).setReceivedAt(at)
                .setLotSize(lot == null ? null : new BigDecimal(lot).setScale(18)).build();
    }

    private BookUpdate delta(String venue, Instant at, long seq, List<BookLevel> bids, List<BookLevel> asks) {
        return BookUpdate.newBuilder().setVenue(venue).setPair(PAIR).setSequence(seq).setSnapshot(false).setBids(bids)
                .setAsks(asks).setVenueTime(at).setReceivedAt(at).build();
    }

    private List<ArbitrageOpportunity> send(BookUpdate update) {
        updates.pipeInput(update.getPair(), update, update.getReceivedAt());
        return opportunities.readValuesToList();
    }

    @Test
    void fiftyBasisPointsAtTheTopThatTurnNegativeAtTheMinimumLotEmitNothing() {
        // alpha sells 0.001 ETH at 2000, then only at 2100; beta buys 0.001 at 2010 (+50 bps), then only at 1900
        send(snapshot("alpha", T0, List.of(level("1990", "5")), List.of(level("2000", "0.001"), level("2100", "5"))));
        assertThat(send(snapshot("beta", T0, List.of(level("2010", "0.001"), level("1900", "5")),
                List.of(level("2200", "5"))))).as("0.01 ETH, the minimum lot, would lose money").isEmpty();
    }

    @Test
    void feesAndTheTransferCostAreCountedAndTheSizeIsTheLargestThatClearsTheThreshold() {
        send(snapshot("alpha", T0, List.of(level("1990", "5")), List.of(level("2000", "1"), level("2003", "1"), level("2050", "5"))));
        List<ArbitrageOpportunity> found = send(snapshot("beta", T0.plusMillis(10),
                List.of(level("2020", "1"), level("2016", "1"), level("1990", "5")), List.of(level("2200", "5"))));
        assertThat(found).singleElement().satisfies(o -> {
            assertThat(o.getEvent()).isEqualTo(OpportunityEvent.OPENED);
            assertThat(o.getBuyExchange()).isEqualTo("alpha");
            assertThat(o.getSellExchange()).isEqualTo("beta");
            // the first ETH: 2020*0.999 - 2000*1.001 = 15.98 on a cost of 2002; the second: 2016*0.999 - 2003*1.001
            // = 8.981 on 2005.003; less the transfer's 1: 23.961 on 4007.003, 59 bps. The third level loses money.
            assertThat(o.getSize()).isEqualByComparingTo("2");
            assertThat(o.getEdgeMoney()).isEqualByComparingTo("23.961");
            assertThat(o.getNetSpreadBasisPoints()).isEqualTo(59);
            assertThat(o.getBuyPrice()).isEqualByComparingTo("2001.5");
            assertThat(o.getSellPrice()).isEqualByComparingTo("2018");
        });
    }

    @Test
    void aStaleVenueAndASequenceGapExcludeThatVenueUntilASnapshot() {
        send(snapshot("alpha", T0, List.of(level("1990", "5")), List.of(level("2000", "1"))));
        assertThat(send(snapshot("beta", T0, List.of(level("2030", "1")), List.of(level("2200", "5"))))).hasSize(1);
        // alpha falls silent; beta moves 3 s later: alpha's book is stale, the opportunity closes
        assertThat(send(snapshot("beta", T0.plusSeconds(3), List.of(level("2031", "1")), List.of(level("2200", "5")))))
                .singleElement().satisfies(o -> {
                    assertThat(o.getEvent()).isEqualTo(OpportunityEvent.CLOSED);
                    assertThat(o.getCloseReason()).isEqualTo("stale");
                });
        // alpha is back, but its next delta skips a sequence number: a gap, alpha takes no part
        assertThat(send(snapshot("alpha", T0.plusSeconds(3), List.of(level("1990", "5")), List.of(level("2000", "1")))))
                .singleElement().satisfies(o -> assertThat(o.getEvent()).isEqualTo(OpportunityEvent.OPENED));
        long seq = sequences.get("alpha" + PAIR);
        assertThat(send(delta("alpha", T0.plusSeconds(3).plusMillis(5), seq + 2, List.of(), List.of(level("1999", "1")))))
                .singleElement().satisfies(o -> assertThat(o.getCloseReason()).isEqualTo("gap"));
        assertThat(send(delta("alpha", T0.plusSeconds(3).plusMillis(6), seq + 3, List.of(), List.of(level("1998", "1")))))
                .as("still waiting for a snapshot").isEmpty();
        assertThat(send(snapshot("alpha", T0.plusSeconds(3).plusMillis(7), List.of(level("1990", "5")),
                List.of(level("2000", "1"))))).singleElement().satisfies(o -> assertThat(o.getEvent()).isEqualTo(OpportunityEvent.OPENED));
    }

    @Test
    void aVenueThatFallsSilentIsDroppedByTheWallClockWithinOneInterval() {
        send(snapshot("alpha", T0, List.of(level("1990", "5")), List.of(level("2000", "1"))));
        assertThat(send(snapshot("beta", T0, List.of(level("2030", "1")), List.of(level("2200", "5"))))).hasSize(1);
        // no update from anyone: the punctuation (every half of the 2 s bound) closes it once the books are stale
        support.driver.advanceWallClockTime(Duration.ofSeconds(3));
        assertThat(opportunities.readValuesToList()).singleElement().satisfies(o -> {
            assertThat(o.getEvent()).isEqualTo(OpportunityEvent.CLOSED);
            assertThat(o.getCloseReason()).isEqualTo("stale");
        });
    }

    @Test
    void anEdgeFlickeringAroundTheThresholdDoesNotFlood() {
        send(snapshot("alpha", T0, List.of(level("1990", "5")), List.of(level("2000", "1"))));
        // beta's bid moves the edge from 25 to 17 to 24 to 12 to 25 to 6 bps: threshold 20, hysteresis 10; an
        // edge 5 bps worse is told at once, one better only from 10 bps up (17 -> 24 is not)
        List<ArbitrageOpportunity> events = new ArrayList<>();
        String[] bids = {"2010.1", "2008.5", "2009.9", "2007.5", "2010.1", "2006.0"};
        for (int i = 0; i < bids.length; i++) {
            events.addAll(send(snapshot("beta", T0.plusMillis(100L * (i + 1)), List.of(level(bids[i], "1")),
                    List.of(level("2200", "5")))));
        }
        assertThat(events).extracting(ArbitrageOpportunity::getEvent).containsExactly(OpportunityEvent.OPENED,
                OpportunityEvent.UPDATED, OpportunityEvent.UPDATED, OpportunityEvent.UPDATED, OpportunityEvent.CLOSED);
        assertThat(events).extracting(ArbitrageOpportunity::getNetSpreadBasisPoints).startsWith(25, 17, 12, 25);
        assertThat(events.get(events.size() - 1).getPeakEdgeBasisPoints()).isEqualTo(events.get(0).getNetSpreadBasisPoints());
        assertThat(events.stream().filter(e -> e.getEvent() == OpportunityEvent.CLOSED)).as("closed once, below 10 bps").hasSize(1);
        // its history, by id, for the read of one opportunity; gone an hour after it closed
        org.apache.kafka.streams.state.KeyValueStore<String, ArbitrageOpportunity> history =
                support.driver.getKeyValueStore(ArbitrageStores.HISTORY);
        assertThat(history(history, events.get(0).getOpportunityId())).isEqualTo(events);
        support.driver.advanceWallClockTime(Duration.ofMinutes(61));
        assertThat(history(history, events.get(0).getOpportunityId())).isEmpty();
    }

    @Test
    void theTakerFeeIsTheTierTheChainsVolumeReaches() {
        // alpha charges 40 bps flat, 10 bps from 1,000,000 of monthly volume; the chain traded 2,500,000 there
        support.input(Topics.EXCHANGE_FEES).pipeInput("alpha", ExchangeFees.newBuilder(fees("alpha")).setTakerFeeBasisPoints(40)
                .setTakerFeeTiers(List.of(tier("0", 40), tier("1000000", 10), tier("10000000", 6)))
                .setVolume30d(new BigDecimal("2500000").setScale(18)).build());
        send(snapshot("alpha", T0, List.of(level("1990", "5")), List.of(level("2000", "1"), level("2003", "1"), level("2050", "5"))));
        List<ArbitrageOpportunity> found = send(snapshot("beta", T0.plusMillis(10),
                List.of(level("2020", "1"), level("2016", "1"), level("1990", "5")), List.of(level("2200", "5"))));
        // the same figures as at 10 bps on both venues
        assertThat(found).singleElement().satisfies(o -> {
            assertThat(o.getNetSpreadBasisPoints()).isEqualTo(59);
            assertThat(o.getSize()).isEqualByComparingTo("2");
            assertThat(o.getLegs()).extracting(OpportunityLeg::getFeeBasisPoints).containsExactly(10, 10);
        });
    }

    @Test
    void theWithdrawalFeeIsBoughtOnTopOverTheCheapestNetworkFastEnough() {
        // moving ETH off alpha: over ethereum too slow (1 h > 15 min), optimism closed, base dearer than arbitrum
        support.input(Topics.WITHDRAWAL_FEES).pipeKeyValueList(List.of(
                withdrawal("alpha", "ethereum", "0.0005", 3600, true), withdrawal("alpha", "arbitrum", "0.001", 120, true),
                withdrawal("alpha", "optimism", "0.0008", 60, false), withdrawal("alpha", "base", "0.002", 60, true))
                .stream().map(w -> org.apache.kafka.streams.KeyValue.pair(w.getExchange() + "|" + w.getAsset() + "|"
                        + w.getNetwork(), w)).toList());
        // alpha trades in lots of 0.001 ETH, beta in the default 0.01
        send(snapshot("alpha", PAIR, "0.001", T0, List.of(level("1990", "5")),
                List.of(level("2000", "1"), level("2003", "1"), level("2050", "5"))));
        List<ArbitrageOpportunity> found = send(snapshot("beta", T0.plusMillis(10),
                List.of(level("2020", "1"), level("2016", "1"), level("1990", "5")), List.of(level("2200", "5"))));
        assertThat(found).singleElement().satisfies(o -> {
            assertThat(o.getTransferNetwork()).isEqualTo("arbitrum");
            assertThat(o.getTransferSeconds()).isEqualTo(120);
            // 1.99 ETH sold (whole lots of both), 1.991 bought (the 0.001 fee on top): 1 at 2000 and 0.991 at 2003
            assertThat(o.getSize()).isEqualByComparingTo("1.99");
            OpportunityLeg buy = o.getLegs().get(0);
            OpportunityLeg sell = o.getLegs().get(1);
            assertThat(buy.getSide()).isEqualTo(LegSide.BUY);
            assertThat(buy.getVenue()).isEqualTo("alpha");
            assertThat(buy.getBaseAmount()).isEqualByComparingTo("1.991");
            assertThat(buy.getQuoteAmount()).isEqualByComparingTo("3984.973");
            assertThat(sell.getSide()).isEqualTo(LegSide.SELL);
            assertThat(sell.getBaseAmount()).isEqualByComparingTo("1.99");
            assertThat(sell.getQuoteAmount()).isEqualByComparingTo("4015.84");
            // 4015.84 * 0.999 - 3984.973 * 1.001 = 22.866187 on 3988.957973: 57 bps (a listed route is the whole
            // transfer cost: alpha's flat 1 USDC stands in only for venues that list none)
            assertThat(o.getEdgeMoney()).isEqualByComparingTo("22.866187");
            assertThat(o.getNetSpreadBasisPoints()).isEqualTo(57);
        });
    }

    @Test
    void aVenueWhoseEveryRouteIsClosedOrTooSlowTakesNoPartAsABuyer() {
        support.input(Topics.WITHDRAWAL_FEES).pipeInput("alpha|ETH|ethereum", withdrawal("alpha", "ethereum", "0.0005", 3600, true));
        send(snapshot("alpha", T0, List.of(level("1990", "5")), List.of(level("2000", "1"))));
        assertThat(send(snapshot("beta", T0, List.of(level("2030", "1")), List.of(level("2200", "5")))))
                .as("ETH bought on alpha could not reach beta in time").isEmpty();
    }

    @Test
    void aTriangularCycleCarriesItsAmountThroughTheBooksInWholeLots() {
        // on alpha: ETH bought at 2001 USDC, sold for 0.0505 BTC (2020 USDC at 40000): +95 bps before three fees
        Instant at = T0.plusMillis(1);
        send(snapshot("alpha", "ETH-USDC", "0.0001", at, List.of(level("2000", "1")), List.of(level("2001", "1"))));
        send(snapshot("alpha", "BTC-USDC", "0.00001", at, List.of(level("40000", "1")), List.of(level("40010", "1"))));
        List<ArbitrageOpportunity> found = send(snapshot("alpha", "ETH-BTC", "0.0001", at,
                List.of(level("0.0505", "2")), List.of(level("0.0506", "2"))));
        assertThat(found).as("only USDC>ETH>BTC>USDC; the other way round loses").singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo(OpportunityKind.TRIANGULAR);
            assertThat(o.getPair()).isEqualTo("USDC>ETH>BTC>USDC");
            assertThat(o.getBuyExchange()).isEqualTo("alpha");
            assertThat(o.getSellExchange()).isEqualTo("alpha");
            assertThat(o.getLegs()).extracting(OpportunityLeg::getPair).containsExactly("ETH-USDC", "ETH-BTC", "BTC-USDC");
            assertThat(o.getLegs()).extracting(OpportunityLeg::getSide).containsExactly(LegSide.BUY, LegSide.SELL, LegSide.SELL);
            // the asks hold 1 ETH, all of it bought for 2001 USDC; each trade brings 10 bps less than the book:
            // 0.999 ETH sold for 0.0504495 BTC -> 0.0503990505, of which 0.05039 (whole lots) sold for 2015.6 USDC
            // -> 2013.5844 back: 12.5844 more than went in, 62 bps
            assertThat(o.getSize()).isEqualByComparingTo("2001");
            assertThat(o.getLegs()).extracting(OpportunityLeg::getBaseAmount).usingElementComparator(BigDecimal::compareTo)
                    .containsExactly(new BigDecimal("1"), new BigDecimal("0.999"), new BigDecimal("0.05039"));
            assertThat(o.getLegs()).extracting(OpportunityLeg::getQuoteAmount).usingElementComparator(BigDecimal::compareTo)
                    .containsExactly(new BigDecimal("2001"), new BigDecimal("0.0504495"), new BigDecimal("2015.6"));
            assertThat(o.getEdgeMoney()).isEqualByComparingTo("12.5844");
            assertThat(o.getNetSpreadBasisPoints()).isEqualTo(62);
        });
        // BTC-USDC's bid falls to 39700: 2015.6 becomes 2000.483 USDC, the cycle loses and closes
        assertThat(send(snapshot("alpha", "BTC-USDC", "0.00001", at.plusMillis(5), List.of(level("39700", "1")),
                List.of(level("39710", "1"))))).singleElement().satisfies(o -> {
                    assertThat(o.getEvent()).isEqualTo(OpportunityEvent.CLOSED);
                    assertThat(o.getCloseReason()).isEqualTo("spread gone");
                });
    }

    private static List<ArbitrageOpportunity> history(
            org.apache.kafka.streams.state.KeyValueStore<String, ArbitrageOpportunity> store, String id) {
        List<ArbitrageOpportunity> events = new ArrayList<>();
        try (var it = store.prefixScan(ArbitrageStores.historyPrefix(id), new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> events.add(kv.value));
        }
        return events;
    }

    private static FeeTier tier(String minVolume, int basisPoints) {
        return FeeTier.newBuilder().setMinVolume(new BigDecimal(minVolume).setScale(18)).setTakerFeeBasisPoints(basisPoints).build();
    }

    private static WithdrawalFee withdrawal(String venue, String network, String fee, int seconds, boolean enabled) {
        return WithdrawalFee.newBuilder().setExchange(venue).setAsset("ETH").setNetwork(network)
                .setFee(new BigDecimal(fee).setScale(18)).setTransferSeconds(seconds).setEnabled(enabled).build();
    }

    @Test
    void replayingTheSameInputGivesTheSameEvents(@TempDir Path otherState) {
        List<BookUpdate> input = List.of(
                snapshot("alpha", T0, List.of(level("1990", "5")), List.of(level("2000", "1"), level("2003", "2"))),
                snapshot("beta", T0.plusMillis(5), List.of(level("2020", "1.5")), List.of(level("2200", "5"))),
                snapshot("gamma", T0.plusMillis(9), List.of(level("2015", "3")), List.of(level("2001", "2"))),
                delta("beta", T0.plusMillis(20), sequences.get("beta" + PAIR) + 1, List.of(level("2020", "0")), List.of()));
        List<ArbitrageOpportunity> first = new ArrayList<>();
        input.forEach(u -> first.addAll(send(u)));
        input.forEach(u -> send(u)); // at least once: the same updates again change nothing
        assertThat(opportunities.isEmpty()).isTrue();
        try (DriverSupport again = driver(otherState)) {
            TestInputTopic<String, BookUpdate> in = again.input(Topics.BOOK_UPDATES);
            TestOutputTopic<String, ArbitrageOpportunity> out = again.output(Topics.ARBITRAGE_OPPORTUNITIES);
            input.forEach(u -> in.pipeInput(PAIR, u, u.getReceivedAt()));
            assertThat(out.readValuesToList()).isEqualTo(first);
        }
        assertThat(first).isNotEmpty();
    }
}

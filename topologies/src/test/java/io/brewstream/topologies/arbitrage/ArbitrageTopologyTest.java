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
        DriverSupport driver = new DriverSupport(new ArbitrageTopology(new ArbitrageSettings(Map.of(PAIR, 20), 20, 10, 5, 10,
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
        long seq = sequences.merge(venue, 1L, Long::sum);
        return BookUpdate.newBuilder().setVenue(venue).setPair(PAIR).setSequence(seq).setSnapshot(true).setBids(bids)
                .setAsks(asks).setVenueTime(at).setReceivedAt(at).build();
    }

    private BookUpdate delta(String venue, Instant at, long seq, List<BookLevel> bids, List<BookLevel> asks) {
        return BookUpdate.newBuilder().setVenue(venue).setPair(PAIR).setSequence(seq).setSnapshot(false).setBids(bids)
                .setAsks(asks).setVenueTime(at).setReceivedAt(at).build();
    }

    private List<ArbitrageOpportunity> send(BookUpdate update) {
        updates.pipeInput(PAIR, update, update.getReceivedAt());
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
        long seq = sequences.get("alpha");
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
        // beta's bid moves the edge from 25 to 17 to 24 to 12 bps: threshold 20, hysteresis 10
        List<ArbitrageOpportunity> events = new ArrayList<>();
        String[] bids = {"2010.1", "2008.5", "2009.9", "2007.5", "2010.1", "2006.0"};
        for (int i = 0; i < bids.length; i++) {
            events.addAll(send(snapshot("beta", T0.plusMillis(100L * (i + 1)), List.of(level(bids[i], "1")),
                    List.of(level("2200", "5")))));
        }
        assertThat(events).extracting(ArbitrageOpportunity::getEvent).containsExactly(OpportunityEvent.OPENED,
                OpportunityEvent.UPDATED, OpportunityEvent.UPDATED, OpportunityEvent.UPDATED, OpportunityEvent.UPDATED,
                OpportunityEvent.CLOSED);
        assertThat(events.get(events.size() - 1).getPeakEdgeBasisPoints()).isEqualTo(events.get(0).getNetSpreadBasisPoints());
        assertThat(events.stream().filter(e -> e.getEvent() == OpportunityEvent.CLOSED)).as("closed once, below 10 bps").hasSize(1);
    }

    @Test
    void replayingTheSameInputGivesTheSameEvents(@TempDir Path otherState) {
        List<BookUpdate> input = List.of(
                snapshot("alpha", T0, List.of(level("1990", "5")), List.of(level("2000", "1"), level("2003", "2"))),
                snapshot("beta", T0.plusMillis(5), List.of(level("2020", "1.5")), List.of(level("2200", "5"))),
                snapshot("gamma", T0.plusMillis(9), List.of(level("2015", "3")), List.of(level("2001", "2"))),
                delta("beta", T0.plusMillis(20), sequences.get("beta") + 1, List.of(level("2020", "0")), List.of()));
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

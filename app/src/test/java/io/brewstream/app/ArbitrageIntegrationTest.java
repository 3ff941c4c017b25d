package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.bench.MarketSimulator;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.serde.AvroSerdes;

/**
 * The arbitrage topology on the standalone stack, fed by the market simulator on the real broker: a labelled
 * dislocation opens an opportunity that is readable and streamed, and closes when the dislocation ends; a venue
 * that falls silent leaves the books it held.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArbitrageIntegrationTest {
    private Standalone standalone;
    private ApiClient api;
    private MarketSimulator market;
    private String analyst;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        standalone = Standalone.start(StandaloneSettingsForTests.onFreePorts(dataDir));
        assertThat(standalone.awaitReady(Duration.ofMinutes(2))).isTrue();
        api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
        analyst = api.token(Role.ANALYST);
        market = new MarketSimulator(standalone.bootstrapServers(), AvroSerdes.forRegistry(standalone.registry().apiUrl()),
                MarketSimulator.demoVenues(), 42).start(false);
    }

    @AfterAll
    void stop() {
        if (market != null) {
            market.close();
        }
        standalone.close();
    }

    private JsonNode get(String path) throws Exception {
        return ApiClient.json(api.get(path, analyst));
    }

    @Test
    void aDislocationOpensAnOpportunityThatIsReadAndStreamedAndClosesWhenItEnds() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/arbitrage/venues?pair=ETH-USDC").path("venues").size() == 3);
        assertThat(get("/api/v1/arbitrage/opportunities").path("opportunities")).as("a calm market: spreads and fees")
                .isEmpty();

        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        var stream = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(standalone.httpUrl()
                + "/api/v1/streams/arbitrage")).header("Accept", "text/event-stream").header("Authorization", analyst).build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> {
            try {
                stream.get().body().forEach(lines::add);
            } catch (Exception ended) {
                // cancelled at the end of the test
            }
        }, "arbitrage-stream");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(": connected"));

        // beta's prices 80 bps above everyone else's for 3 s: buy elsewhere, sell on beta
        market.dislocate("beta", 80, Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/v1/arbitrage/opportunities?pair=ETH-USDC")
                .path("opportunities").size() > 0);
        JsonNode best = get("/api/v1/arbitrage/opportunities").path("opportunities").get(0);
        assertThat(best.path("sellVenue").asText()).isEqualTo("beta");
        assertThat(best.path("edgeBasisPoints").asInt()).isGreaterThanOrEqualTo(20);
        assertThat(best.path("size").decimalValue()).isPositive();
        assertThat(best.path("edgeMoney").decimalValue()).isPositive();

        await().atMost(Duration.ofSeconds(15)).until(() -> get("/api/v1/arbitrage/opportunities").path("opportunities").isEmpty());
        assertThat(lines).anyMatch(l -> l.startsWith("data: ") && l.contains("\"OPENED\"") && l.contains("\"beta\""));
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.startsWith("data: ")
                && l.contains("\"CLOSED\"") && l.contains("spread gone")));
        stream.cancel(true);
    }

    @Test
    void aSilentVenueGoesStaleAndAGappedOneInconsistentUntilItsNextSnapshot() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/arbitrage/venues?pair=ETH-USDC").path("venues").size() == 3);
        market.stall("gamma", Duration.ofSeconds(4));
        await().atMost(Duration.ofSeconds(10)).until(() -> venue("gamma").path("ageMillis").asLong() > 2_000);
        market.gap("alpha");
        await().atMost(Duration.ofSeconds(10)).until(() -> !venue("alpha").path("consistent").asBoolean());
        await().atMost(Duration.ofSeconds(20)).until(() -> venue("alpha").path("consistent").asBoolean()
                && venue("gamma").path("ageMillis").asLong() < 1_000);
    }

    @Test
    void aCycleInsideOneVenueOpensWithItsTradesHasAHistoryAndShowsInTheDashboardPanel() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/arbitrage/venues?pair=ETH-BTC").path("venues").size() == 3);
        Path repoRoot = Path.of("..").toAbsolutePath().normalize();
        String id;
        try (HeadlessChromium browser = HeadlessChromium.start(repoRoot)) {
            browser.openDashboard(standalone.httpUrl(), "berlin-mitte", analyst);
            await().atMost(Duration.ofSeconds(30)).until(() -> "live".equals(browser.status()));

            // alpha's ETH-BTC 80 bps rich: on alpha, buying ETH with USDC, selling it for BTC and the BTC for USDC
            // brings back more than it took, after three taker fees
            market.dislocate("alpha", "ETH-BTC", 80, Duration.ofSeconds(6));
            await().atMost(Duration.ofSeconds(10)).until(() -> cycle().isPresent());
            JsonNode cycle = cycle().orElseThrow();
            assertThat(cycle.path("pair").asText()).isEqualTo("USDC>ETH>BTC>USDC");
            assertThat(cycle.path("buyVenue").asText()).isEqualTo("alpha");
            assertThat(cycle.path("legs")).extracting(l -> l.path("side").asText() + " " + l.path("pair").asText())
                    .containsExactly("BUY ETH-USDC", "SELL ETH-BTC", "SELL BTC-USDC");
            assertThat(cycle.path("edgeMoney").decimalValue()).isPositive();

            // one opportunity with its history, from OPENED on (the history is kept from the topic: a hop later)
            id = cycle.path("opportunityId").asText();
            String path = "/api/v1/arbitrage/opportunities/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get(path, analyst).statusCode() == 200);
            JsonNode one = get(path);
            assertThat(one.path("opportunity").path("opportunityId").asText()).isEqualTo(id);
            assertThat(one.path("history").get(0).path("event").asText()).isEqualTo("OPENED");
            assertThat(api.get("/api/v1/arbitrage/opportunities/ETH-USDC:nowhere:nowhere:1", analyst).statusCode())
                    .isEqualTo(404);

            // the dashboard's panel shows it live, with its trades
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> browser.evaluate(
                    "document.querySelector('#arbitrage [data-kind=\"TRIANGULAR\"]') !== null").asBoolean());
            assertThat(browser.evaluate("document.querySelector('#arbitrage [data-kind=\"TRIANGULAR\"]').innerText").asText())
                    .contains("USDC>ETH>BTC>USDC").contains("SELL ETH-BTC");
            Path screenshot = Path.of("target", "dashboard-arbitrage.png");
            browser.screenshot(screenshot);
            // and takes it off when the dislocation ends
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> browser.evaluate(
                    "document.querySelector('#arbitrage [data-kind=\"TRIANGULAR\"]') === null").asBoolean());
        }
        // closed, its history still readable, ending in CLOSED
        JsonNode history = get("/api/v1/arbitrage/opportunities/" + URLEncoder.encode(id, StandardCharsets.UTF_8))
                .path("history");
        assertThat(history.get(history.size() - 1).path("event").asText()).isEqualTo("CLOSED");
        assertThat(history.get(history.size() - 1).path("closeReason").asText()).isEqualTo("spread gone");
    }

    private Optional<JsonNode> cycle() throws Exception {
        for (JsonNode o : get("/api/v1/arbitrage/opportunities").path("opportunities")) {
            if (o.path("kind").asText().equals("TRIANGULAR")) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    private JsonNode venue(String name) throws Exception {
        for (JsonNode v : get("/api/v1/arbitrage/venues?pair=ETH-USDC").path("venues")) {
            if (v.path("venue").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no venue " + name);
    }
}

package io.brewstream.ingress.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.ingress.orders.IngressServerTest;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.topics.Topics;

/** A feed adapter's JSON batches of book updates on the real broker: exact decimals, all or nothing. */
class MarketDataIngressIntegrationTest extends IngressServerTest {
    MarketDataIngressIntegrationTest(EmbeddedInfrastructure infra) {
        super(infra);
    }

    @Test
    void aBatchIsWrittenKeyedByPairWithExactDecimalsAndABadOneWritesNothing() throws Exception {
        String pair = "T" + Long.toString(System.nanoTime() % 1_000_000, 36).toUpperCase() + "-USDC";
        String feed = server.as(Role.MARKET_DATA);
        String batch = """
                {"updates":[
                 {"venue":"alpha","pair":"%s","sequence":7,"snapshot":true,"bids":[["3005.123456789012345678","0.5"]],
                  "asks":[[3006.1,1.25]],"venueTime":"2026-11-25T09:00:00Z","lotSize":"0.0001"},
                 {"venue":"alpha","pair":"%s","sequence":8,"snapshot":false,"bids":[["3005.123456789012345678","0"]],
                  "asks":[],"halted":true}]}""".formatted(pair, pair);
        var accepted = server.post(MarketDataRoutes.PATH, batch, Map.of("Authorization", feed));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.body()).contains("\"accepted\":2");
        var written = server.all(Topics.BOOK_UPDATES, pair);
        assertThat(written).extracting(BookUpdate::getSequence).containsExactly(7L, 8L);
        assertThat(written.get(0).getBids().get(0).getPrice()).isEqualByComparingTo("3005.123456789012345678");
        assertThat(written.get(0).getAsks().get(0).getPrice()).as("a JSON number read exactly").isEqualByComparingTo("3006.1");
        assertThat(written.get(1).getHalted()).isTrue();
        assertThat(written.get(0).getLotSize()).isEqualByComparingTo("0.0001");
        assertThat(written.get(1).getLotSize()).isNull();

        String bad = """
                {"updates":[{"venue":"alpha","pair":"%s","sequence":9,"snapshot":true,"bids":[["-1","1"]],"asks":[]},
                 {"venue":"","pair":"eth/usdc","sequence":-1,"lotSize":"0"}]}""".formatted(pair);
        var refused = server.post(MarketDataRoutes.PATH, bad, Map.of("Authorization", feed));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("updates[0].bids[0]").contains("updates[1].venue").contains("updates[1].pair")
                .contains("updates[1].sequence").contains("updates[1].snapshot").contains("updates[1].lotSize");
        assertThat(server.all(Topics.BOOK_UPDATES, pair)).as("nothing of a bad batch").hasSize(2);
        assertThat(server.post(MarketDataRoutes.PATH, batch, Map.of("Authorization", server.as(Role.ANALYST))).statusCode())
                .isEqualTo(403);
    }
}

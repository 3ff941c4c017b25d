package io.brewstream.queries.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.brewstream.platform.http.ProblemException;

class OpenConnectionsTest {
    @Test
    void eachPrincipalAndTheServerHoldAtMostTheirCapsAndClosingGivesTheSlotBack() {
        OpenConnections open = new OpenConnections(2, 3);
        OpenConnections.Permit a1 = open.acquire("anna");
        open.acquire("anna");
        assertThatThrownBy(() -> open.acquire("anna")).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(503);
            assertThat(e.retryAfterSeconds()).isEqualTo(OpenConnections.RETRY_AFTER_SECONDS);
        });
        open.acquire("ben");
        assertThatThrownBy(() -> open.acquire("carla")).as("the server's cap").isInstanceOf(ProblemException.class);
        assertThat(open.open()).isEqualTo(3);

        a1.close();
        a1.close(); // closing twice gives back one slot
        assertThat(open.open()).isEqualTo(2);
        open.acquire("carla");
        assertThatThrownBy(() -> open.acquire("anna")).as("the server is full again").isInstanceOf(ProblemException.class);
    }
}

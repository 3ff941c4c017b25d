package io.brewstream.connectors.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ReorderPolicyTest {
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private final ReorderPolicy policy = new ReorderPolicy(Duration.ofDays(2), Duration.ofDays(5), Duration.ofDays(14));

    @Test
    void coversTheLeadTimeAndTheCoverAtTheDailyUseSeenAboveTheThreshold() {
        ReorderPolicy.Consumption use = new ReorderPolicy.Consumption();
        // ten days at 1,000 ml a day (one fall a day), with a delivery of 5,000 on day 4 that is not use
        long onHand = 20_000;
        use.observe(onHand, T0, policy.window());
        for (int day = 1; day <= 10; day++) {
            if (day == 4) {
                onHand += 5_000;
                use.observe(onHand, T0.plus(Duration.ofDays(day)).minus(Duration.ofHours(1)), policy.window());
            }
            onHand -= 1_000;
            use.observe(onHand, T0.plus(Duration.ofDays(day)), policy.window());
        }
        ReorderPolicy.Proposal proposal = policy.propose(use, 800, 1_000, T0.plus(Duration.ofDays(10)));
        assertThat(proposal.dailyUse()).isEqualTo(1_000.0);
        assertThat(proposal.needed()).as("7 days of use").isEqualTo(7_000);
        assertThat(proposal.quantity()).as("7,000 + threshold 1,000 - 800 available").isEqualTo(7_200);
        assertThat(proposal.why()).contains("1000.0 a day", "7.0 days", "threshold 1000", "800 available");
    }

    @Test
    void useOlderThanTheWindowNoLongerCountsAndWithNoUseSeenItRefillsToTheThreshold() {
        ReorderPolicy.Consumption use = new ReorderPolicy.Consumption();
        use.observe(10_000, T0, policy.window());
        use.observe(4_000, T0.plus(Duration.ofDays(1)), policy.window());
        Instant later = T0.plus(Duration.ofDays(30));
        use.observe(4_000, later, policy.window());
        ReorderPolicy.Proposal proposal = policy.propose(use, 300, 1_000, later);
        assertThat(proposal.dailyUse()).isZero();
        assertThat(proposal.quantity()).isEqualTo(700);

        ReorderPolicy.Proposal unknown = policy.propose(new ReorderPolicy.Consumption(), 0, 500, T0);
        assertThat(unknown.quantity()).isEqualTo(500);
    }

    @Test
    void aShortHistoryIsAveragedOverTheTimeSeenNotTheWholeWindow() {
        ReorderPolicy.Consumption use = new ReorderPolicy.Consumption();
        use.observe(5_000, T0, policy.window());
        use.observe(4_000, T0.plus(Duration.ofHours(12)), policy.window());
        ReorderPolicy.Proposal proposal = policy.propose(use, 4_000, 1_000, T0.plus(Duration.ofHours(12)));
        assertThat(proposal.dailyUse()).as("1,000 in half a day").isEqualTo(2_000.0);
        assertThat(proposal.quantity()).isEqualTo(14_000 + 1_000 - 4_000);
    }
}

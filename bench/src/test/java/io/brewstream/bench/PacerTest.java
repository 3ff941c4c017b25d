package io.brewstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void aFixedRateSpacesSendsEvenly() {
        Pacer pacer = new Pacer(200);
        assertThat(pacer.dueSeconds(0)).isZero();
        assertThat(pacer.dueSeconds(100)).isCloseTo(0.5, within(1e-9));
        assertThat(pacer.dueSeconds(1_000)).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void burstsSendAtTheirFactorAndKeepTheAverage() {
        Pacer pacer = Pacer.bursting(100, Duration.ofSeconds(10), Duration.ofSeconds(2), 3);
        // 1000 per period: base rate 1000 / (8 + 3 * 2) = 71.4/s, so 428.6 sends in the 2 s burst
        assertThat(sendsBetween(pacer, 0, 2)).isEqualTo(429);
        assertThat(sendsBetween(pacer, 2, 4)).isEqualTo(143);
        assertThat(sendsBetween(pacer, 0, 10)).isEqualTo(1_000);
        assertThat(sendsBetween(pacer, 10, 12)).isEqualTo(429);
        assertThat(pacer.dueSeconds(3_000)).isCloseTo(30.0, within(1e-6));
    }

    @Test
    void aBurstAsLongAsItsPeriodIsRefused() {
        assertThatThrownBy(() -> Pacer.bursting(100, Duration.ofSeconds(2), Duration.ofSeconds(2), 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long sendsBetween(Pacer pacer, double fromSeconds, double toSeconds) {
        long count = 0;
        for (long i = 0; i < 10_000; i++) {
            double due = pacer.dueSeconds(i);
            if (due >= fromSeconds - 1e-9 && due < toSeconds - 1e-9) {
                count++;
            }
        }
        return count;
    }
}

package io.brewstream.topologies.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ThreadDeathsTest {
    @Test
    void moreDeathsThanAllowedWithinTheWindowIsOneTooManyAndOldOnesAreForgotten() {
        ThreadDeaths deaths = new ThreadDeaths(2, Duration.ofMinutes(10));
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        assertThat(deaths.oneTooMany(t0)).isFalse();
        assertThat(deaths.oneTooMany(t0.plusSeconds(60))).isFalse();
        // the first is more than ten minutes old by the third: two in the window
        assertThat(deaths.oneTooMany(t0.plus(Duration.ofMinutes(10)).plusSeconds(30))).isFalse();
        // the fourth, a second later: the last three are within ten minutes
        assertThat(deaths.oneTooMany(t0.plus(Duration.ofMinutes(10)).plusSeconds(31))).isTrue();
    }
}

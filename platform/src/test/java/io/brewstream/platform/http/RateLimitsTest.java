package io.brewstream.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.javalin.http.Context;

class RateLimitsTest {
    private final RateLimits limits = new RateLimits(Optional.of(RateLimits.Limit.parse("3/1h")),
            Optional.of(RateLimits.Limit.parse("2/1h")), Context::ip);

    @Test
    void aLimitIsABurstRefilledOverItsPeriod() {
        assertThat(RateLimits.Limit.parse("400/4s")).isEqualTo(new RateLimits.Limit(400, Duration.ofSeconds(4)));
        assertThatThrownBy(() -> RateLimits.Limit.parse("400")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overTheLimitIsA429WithRetryAfterForThatClientOnly() {
        for (int i = 0; i < 3; i++) {
            limits.checkAddress("198.51.100.1");
        }
        assertThatThrownBy(() -> limits.checkAddress("198.51.100.1"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(429);
                    // one request's worth refills in 20 minutes at 3 per hour
                    assertThat(e.retryAfterSeconds()).isBetween(1_100, 1_200);
                });
        limits.checkAddress("198.51.100.2");

        limits.checkPrincipal("anna");
        limits.checkPrincipal("anna");
        assertThatThrownBy(() -> limits.checkPrincipal("anna")).isInstanceOf(ProblemException.class);
        limits.checkPrincipal("ben");
    }

    @Test
    void idleClientsAreForgottenBusyOnesKept() {
        limits.checkAddress("198.51.100.9");
        RateLimits fast = new RateLimits(Optional.of(new RateLimits.Limit(1, Duration.ofMillis(1))), Optional.empty(),
                Context::ip);
        fast.checkAddress("198.51.100.9");
        await(Duration.ofMillis(5));

        fast.forgetIdle();
        limits.forgetIdle();

        assertThat(fast.tracked()).as("refilled: idle").isZero();
        assertThat(limits.tracked()).as("still spending its burst").isEqualTo(1);
    }

    private static void await(Duration refill) {
        long until = System.nanoTime() + refill.toNanos();
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}

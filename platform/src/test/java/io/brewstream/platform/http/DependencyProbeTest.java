package io.brewstream.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** A probe's answers as readiness and as the "away" a request refuses on, from a dependency switched by hand. */
class DependencyProbeTest {
    private final AtomicReference<Object> dependency = new AtomicReference<>(Boolean.TRUE);

    private boolean ask() throws Exception {
        Object answer = dependency.get();
        if (answer instanceof Exception e) {
            throw e;
        }
        return (Boolean) answer;
    }

    @Test
    void answersAwayAndBackAreSeenWithinAnIntervalWithWhy() {
        try (DependencyProbe probe = new DependencyProbe("kafka", true, Duration.ofMillis(20), this::ask)) {
            await().atMost(Duration.ofSeconds(5)).until(probe::reachable);
            assertThat(probe.ready()).isTrue();
            assertThat(probe.away()).isFalse();
            assertThat(probe.problem()).isNull();

            dependency.set(new ConnectException("Connection refused"));
            await().atMost(Duration.ofSeconds(5)).until(probe::away);
            assertThat(probe.ready()).isFalse();
            assertThat(probe.problem()).isEqualTo("ConnectException: Connection refused");

            dependency.set(Boolean.FALSE);
            await().atMost(Duration.ofSeconds(5)).until(() -> "answered, but not as it should".equals(probe.problem()));
            assertThat(probe.away()).isTrue();

            dependency.set(Boolean.TRUE);
            await().atMost(Duration.ofSeconds(5)).until(probe::reachable);
        }
    }

    @Test
    void beforeItsFirstAnswerItIsNotReadyButNotKnownAwayEither() {
        // a probe that never answers within the test: nothing was checked yet
        try (DependencyProbe probe = new DependencyProbe("registry", false, Duration.ofMinutes(1), () -> {
            Thread.sleep(60_000);
            return true;
        })) {
            assertThat(probe.ready()).isFalse();
            assertThat(probe.away()).as("a request goes ahead and finds out itself").isFalse();
            assertThat(probe.essential()).isFalse();
            assertThat(probe.problem()).isEqualTo("not checked yet");
        }
    }
}

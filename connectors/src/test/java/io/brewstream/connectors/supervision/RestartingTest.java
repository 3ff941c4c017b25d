package io.brewstream.connectors.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The supervisor on services that fail when told to, with delays in milliseconds. */
class RestartingTest {
    /** A service that runs until failed by hand, remembering when it started and whether it was closed. */
    static final class Service implements AutoCloseable {
        final long startedAt = System.nanoTime();
        volatile Throwable failure;
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    private final List<Service> started = new CopyOnWriteArrayList<>();

    private Service newService() {
        Service service = new Service();
        started.add(service);
        return service;
    }

    @Test
    void aFailedServiceIsClosedAndStartedAgainAfterABackoffThatGrows() throws Exception {
        try (Restarting<Service> restarting = new Restarting<>("test", this::newService,
                s -> Optional.ofNullable(s.failure), Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofHours(1))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> restarting.current().isPresent());
            for (int failure = 1; failure <= 4; failure++) {
                Service running = restarting.current().orElseThrow();
                running.failure = new IllegalStateException("failure " + failure);
                int expected = failure + 1;
                await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == expected
                        && restarting.current().isPresent());
                assertThat(running.closed).isTrue();
            }
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < started.size(); i++) {
                gaps.add((started.get(i).startedAt - started.get(i - 1).startedAt) / 1_000_000);
            }
            // 100, 200, 400, 400 ms of backoff (at least; each gap also holds the time to notice the failure)
            assertThat(gaps.get(0)).isGreaterThanOrEqualTo(100);
            assertThat(gaps.get(1)).isGreaterThanOrEqualTo(200);
            assertThat(gaps.get(2)).isGreaterThanOrEqualTo(400);
            assertThat(gaps.get(3)).isGreaterThanOrEqualTo(400);
            assertThat(restarting.starts()).isEqualTo(5);
        }
        assertThat(started).allMatch(s -> s.closed);
    }

    @Test
    void aStartThatThrowsIsTriedAgainUntilItSucceeds() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (Restarting<Service> restarting = new Restarting<>("flaky", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new java.net.ConnectException("Connection refused");
            }
            return newService();
        }, s -> Optional.ofNullable(s.failure), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofHours(1))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> restarting.current().isPresent());
            assertThat(attempts.get()).isEqualTo(3);
            assertThat(restarting.starts()).isEqualTo(1);
        }
    }

    @Test
    void aServiceThatRanHealthyStartsAgainAfterTheInitialDelayNotTheGrownOne() throws Exception {
        try (Restarting<Service> restarting = new Restarting<>("healthy", this::newService,
                s -> Optional.ofNullable(s.failure), Duration.ofMillis(50), Duration.ofSeconds(30), Duration.ofMillis(300))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> restarting.current().isPresent());
            // five quick failures grow the backoff to 1.6 s (50, 100, 200, 400, 800, then 1,600 ms)
            for (int failure = 1; failure <= 5; failure++) {
                restarting.current().orElseThrow().failure = new IllegalStateException("quick " + failure);
                int expected = failure + 1;
                await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == expected
                        && restarting.current().isPresent());
            }
            Service healthy = restarting.current().orElseThrow();
            await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - healthy.startedAt > 400_000_000L);
            long failedAt = System.nanoTime();
            healthy.failure = new IllegalStateException("after a healthy run");
            await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 7);
            long restartMillis = (started.get(6).startedAt - failedAt) / 1_000_000;
            // noticed within the watch interval (200 ms), started after the initial 50 ms: far from 1.6 s
            assertThat(restartMillis).isBetween(50L, 1_200L);
            assertThat(restarting.starts()).isEqualTo(7);
        }
    }

    @Test
    void closingStopsTheServiceAndNoNewOneStarts() throws Exception {
        Restarting<Service> restarting = new Restarting<>("closing", this::newService, s -> Optional.ofNullable(s.failure),
                Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> restarting.current().isPresent());
        restarting.close();
        assertThat(started).hasSize(1);
        assertThat(started.get(0).closed).isTrue();
        assertThat(restarting.current()).isEmpty();
    }
}

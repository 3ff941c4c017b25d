package io.brewstream.connectors.supervision;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;

/**
 * Keeps a long-running service going (the CDC engine, the chain watcher): started by a factory, watched for its
 * failure, and when it fails closed and started anew after a backoff that doubles from {@code initialDelay} up to
 * {@code maxDelay} (Failsafe's retry policy). A start that throws counts as a failure. A service that ran
 * {@code healthyAfter} before failing starts again after the initial delay, as if it had failed for the first time.
 * Each service resumes from what it committed (the CDC offsets, the chain checkpoint), so a restart loses nothing.
 *
 * @param <S> the service; closing it stops it
 */
public final class Restarting<S extends AutoCloseable> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Restarting.class);
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);

    private final String name;
    private final Callable<S> start;
    private final Function<S, Optional<Throwable>> failure;
    private final Duration initialDelay;
    private final Duration healthyAfter;
    private final RetryPolicy<Object> policy;
    private final Thread thread;
    private final AtomicInteger starts = new AtomicInteger();
    private volatile S current;
    private volatile boolean closed;

    /** Backoff from 1 s to 1 min; healthy after a minute. */
    public static <S extends AutoCloseable> Restarting<S> start(String name, Callable<S> start,
            Function<S, Optional<Throwable>> failure) {
        return new Restarting<>(name, start, failure, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(1));
    }

    public Restarting(String name, Callable<S> start, Function<S, Optional<Throwable>> failure, Duration initialDelay,
            Duration maxDelay, Duration healthyAfter) {
        this.name = name;
        this.start = start;
        this.failure = failure;
        this.initialDelay = initialDelay;
        this.healthyAfter = healthyAfter;
        this.policy = RetryPolicy.builder()
                .withBackoff(initialDelay, maxDelay)
                .withMaxRetries(-1)
                .abortOn(InterruptedException.class)
                .abortIf((result, error) -> closed)
                .onRetryScheduled(event -> log.warn("{} failed ({}); starting it again in {} ms", name,
                        why(event.getLastException()), event.getDelay().toMillis()))
                .build();
        this.thread = new Thread(this::supervise, "restarting-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The service while it runs; empty between a failure and its next start. */
    public Optional<S> current() {
        return Optional.ofNullable(current);
    }

    /** How many times it was started, the first time included. */
    public int starts() {
        return starts.get();
    }

    private void supervise() {
        while (!closed) {
            try {
                Failsafe.with(policy).run(this::runUntilItFails); // returns after a healthy run failed, or when closed
            } catch (FailsafeException e) {
                if (!closed) {
                    log.error("{}: supervision stopped", name, e);
                }
                return;
            }
        }
    }

    private void runUntilItFails() throws Exception {
        if (closed) {
            return;
        }
        S service = start.call();
        starts.incrementAndGet();
        current = service;
        long startedAt = System.nanoTime();
        try {
            while (!closed) {
                Optional<Throwable> failed = failure.apply(service);
                if (failed.isPresent()) {
                    if (System.nanoTime() - startedAt >= healthyAfter.toNanos()) {
                        log.warn("{} failed after running {} s ({}); starting it again in {} ms", name,
                                (System.nanoTime() - startedAt) / 1_000_000_000L, failed.get(), initialDelay.toMillis());
                        Thread.sleep(initialDelay.toMillis());
                        return;
                    }
                    throw new ServiceFailed(name, failed.get());
                }
                Thread.sleep(WATCH_INTERVAL.toMillis());
            }
        } finally {
            current = null;
            try {
                service.close();
            } catch (Exception e) {
                log.warn("{} did not close cleanly: {}", name, e.toString());
            }
        }
    }

    /** Stops supervising and closes the service that runs. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(60_000);
    }

    private static String why(Throwable failure) {
        return String.valueOf(failure instanceof ServiceFailed failed ? failed.getCause() : failure);
    }

    /** The service reported a failure. */
    static final class ServiceFailed extends Exception {
        private static final long serialVersionUID = 1L;

        ServiceFailed(String name, Throwable cause) {
            super(name + " failed: " + cause, cause);
        }
    }
}

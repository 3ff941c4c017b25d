package io.brewstream.topologies.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many times a stream thread may die and be replaced before the application counts as dead for good: a
 * transient fault kills a thread now and then, a poison record or a broken store kills every replacement at once.
 * More than {@code maxDeaths} within {@code window} is the latter. Pure; the caller holds it under its own lock.
 */
public final class ThreadDeaths {
    public static ThreadDeaths defaults() {
        return new ThreadDeaths(5, Duration.ofMinutes(10));
    }

    private final int maxDeaths;
    private final Duration window;
    private final Deque<Instant> deaths = new ArrayDeque<>();

    public ThreadDeaths(int maxDeaths, Duration window) {
        this.maxDeaths = maxDeaths;
        this.window = window;
    }

    /** Records a death at {@code now}; true when it is one too many (replace the thread no more). */
    public synchronized boolean oneTooMany(Instant now) {
        deaths.addLast(now);
        while (!deaths.isEmpty() && deaths.peekFirst().isBefore(now.minus(window))) {
            deaths.removeFirst();
        }
        return deaths.size() > maxDeaths;
    }

    public int maxDeaths() {
        return maxDeaths;
    }

    public Duration window() {
        return window;
    }
}

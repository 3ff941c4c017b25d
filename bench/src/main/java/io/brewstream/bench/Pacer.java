package io.brewstream.bench;

import java.util.concurrent.locks.LockSupport;

/** Spaces sends at a fixed rate (per second), or lets them go as fast as they can at rate 0. */
final class Pacer {
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();

    Pacer(int ratePerSecond) {
        this.intervalNanos = ratePerSecond <= 0 ? 0 : 1_000_000_000L / ratePerSecond;
    }

    /** Waits until the i-th send is due. */
    void awaitTurn(long i) {
        if (intervalNanos == 0) {
            return;
        }
        long due = startNanos + i * intervalNanos;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(wait, 1_000_000));
        }
    }
}

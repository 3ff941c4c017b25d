package io.brewstream.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces sends: at a fixed rate (per second), as fast as they can go at rate 0, or in bursts: each period starts
 * with a burst at {@code factor} times the base rate, and the average over a period is the given rate.
 */
final class Pacer {
    private final long startNanos = System.nanoTime();
    private final double perSecond;
    private final double periodSeconds;
    private final double burstSeconds;
    private final double factor;

    Pacer(int ratePerSecond) {
        this(ratePerSecond, Duration.ofSeconds(1), Duration.ZERO, 1);
    }

    private Pacer(int ratePerSecond, Duration period, Duration burst, double factor) {
        this.perSecond = ratePerSecond;
        this.periodSeconds = period.toNanos() / 1e9;
        this.burstSeconds = burst.toNanos() / 1e9;
        this.factor = factor;
    }

    static Pacer bursting(int averagePerSecond, Duration period, Duration burst, double factor) {
        if (burst.compareTo(period) >= 0 || factor < 1) {
            throw new IllegalArgumentException("a burst is shorter than its period and at least the base rate");
        }
        return new Pacer(averagePerSecond, period, burst, factor);
    }

    /** Waits until the i-th send is due. */
    void awaitTurn(long i) {
        if (perSecond <= 0) {
            return;
        }
        long due = startNanos + (long) (dueSeconds(i) * 1e9);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(wait, 1_000_000));
        }
    }

    /** When the i-th send is due, in seconds from the start. */
    double dueSeconds(long i) {
        double perPeriod = perSecond * periodSeconds;
        double base = perPeriod / (periodSeconds - burstSeconds + factor * burstSeconds);
        double inBurst = base * factor * burstSeconds;
        long period = (long) (i / perPeriod);
        double within = i - period * perPeriod;
        double offset = within < inBurst ? within / (base * factor) : burstSeconds + (within - inBurst) / base;
        return period * periodSeconds + offset;
    }
}

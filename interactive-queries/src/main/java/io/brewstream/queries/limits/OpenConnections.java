package io.brewstream.queries.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.ProblemException;

/**
 * Caps on connections held open (long-polls and event streams), per principal and in total, so no one caller and
 * no crowd can tie up the server's threads and memory. Beyond a cap: 503 with Retry-After.
 */
public final class OpenConnections {
    static final int RETRY_AFTER_SECONDS = 5;

    private final int perPrincipal;
    private final int total;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> byPrincipal = new ConcurrentHashMap<>();

    public OpenConnections(int perPrincipal, int total) {
        this.perPrincipal = perPrincipal;
        this.total = total;
    }

    /** {@code BREWSTREAM_MAX_OPEN_PER_PRINCIPAL} (default 10) and {@code BREWSTREAM_MAX_OPEN_TOTAL} (default 2000). */
    public static OpenConnections from(Env env) {
        return new OpenConnections(env.integer("BREWSTREAM_MAX_OPEN_PER_PRINCIPAL", 10),
                env.integer("BREWSTREAM_MAX_OPEN_TOTAL", 2000));
    }

    /** One held connection; closing it (once) gives the slot back. */
    public final class Permit implements AutoCloseable {
        private final String principal;
        private boolean closed;

        private Permit(String principal) {
            this.principal = principal;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                open.decrementAndGet();
                byPrincipal.computeIfPresent(principal, (p, count) -> count.decrementAndGet() <= 0 ? null : count);
            }
        }
    }

    /** A slot for the principal, or a 503 when it or the server holds as many as allowed. */
    public Permit acquire(String principal) {
        if (open.incrementAndGet() > total) {
            open.decrementAndGet();
            throw ProblemException.unavailable("the server holds as many open connections as it may (" + total
                    + "); try again shortly", RETRY_AFTER_SECONDS);
        }
        AtomicInteger mine = byPrincipal.compute(principal, (p, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            c.incrementAndGet();
            return c;
        });
        if (mine.get() > perPrincipal) {
            open.decrementAndGet();
            byPrincipal.computeIfPresent(principal, (p, count) -> count.decrementAndGet() <= 0 ? null : count);
            throw ProblemException.unavailable("you hold " + perPrincipal + " open connections already (long-polls"
                    + " and event streams); close one or try again shortly", RETRY_AFTER_SECONDS);
        }
        return new Permit(principal);
    }

    public int open() {
        return open.get();
    }
}

package io.brewstream.platform.http;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.brewstream.platform.config.Env;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.Principal;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.javalin.http.Context;

/**
 * Requests per client address and per principal, as Bucket4j token buckets: a burst of {@code capacity} requests,
 * refilled evenly over the period. Over the limit, a 429 problem with Retry-After. The address is counted before
 * the token is checked (so a flood of bad tokens costs no signature checks beyond the limit), the principal after.
 * Buckets that have refilled completely are forgotten every minute, so memory follows the active clients.
 */
public final class RateLimits implements AutoCloseable {
    /** {@code capacity} requests, refilled over {@code period}. */
    public record Limit(long capacity, Duration period) {
        /** {@code 400/4s}: 400 requests, refilled over 4 seconds. */
        public static Limit parse(String text) {
            String[] parts = text.trim().split("/", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("a rate limit is requests/period, such as 400/4s, not " + text);
            }
            return new Limit(Long.parseLong(parts[0].trim()), Env.parseDuration(parts[1]));
        }
    }

    private final Optional<Limit> perAddress;
    private final Optional<Limit> perPrincipal;
    private final Function<Context, String> addressOf;
    private final Map<String, Bucket> addresses = new ConcurrentHashMap<>();
    private final Map<String, Bucket> principals = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    public RateLimits(Optional<Limit> perAddress, Optional<Limit> perPrincipal, Function<Context, String> addressOf) {
        this.perAddress = perAddress;
        this.perPrincipal = perPrincipal;
        this.addressOf = addressOf;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rate-limit-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleAtFixedRate(this::forgetIdle, 1, 1, TimeUnit.MINUTES);
    }

    /**
     * {@code BREWSTREAM_RATE_LIMIT_PER_ADDRESS} (default 400/4s: a shop's Wi-Fi puts many customers behind one
     * address) and {@code BREWSTREAM_RATE_LIMIT_PER_PRINCIPAL} (default 200/4s); {@code off} turns one off.
     *
     * @param addressOf the client's address (behind trusted proxies, the one they forwarded for)
     */
    public static RateLimits from(Env env, Function<Context, String> addressOf) {
        return new RateLimits(limit(env, "BREWSTREAM_RATE_LIMIT_PER_ADDRESS", "400/4s"),
                limit(env, "BREWSTREAM_RATE_LIMIT_PER_PRINCIPAL", "200/4s"), addressOf);
    }

    public static RateLimits none() {
        return new RateLimits(Optional.empty(), Optional.empty(), Context::ip);
    }

    private static Optional<Limit> limit(Env env, String name, String defaultValue) {
        String value = env.string(name, defaultValue);
        return value.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(Limit.parse(value));
    }

    void checkAddress(Context ctx) {
        checkAddress(addressOf.apply(ctx));
    }

    void checkAddress(String address) {
        perAddress.ifPresent(limit -> take(addresses, address, limit, "this address"));
    }

    void checkPrincipal(Context ctx) {
        Authentication.principalIfAny(ctx).map(Principal::subject).ifPresent(this::checkPrincipal);
    }

    void checkPrincipal(String subject) {
        perPrincipal.ifPresent(limit -> take(principals, subject, limit, "you"));
    }

    /** Buckets held now (idle ones are forgotten every minute). */
    int tracked() {
        return addresses.size() + principals.size();
    }

    /** Forgets the buckets that have refilled completely: their clients are idle. */
    void forgetIdle() {
        perAddress.ifPresent(limit -> addresses.values().removeIf(b -> b.getAvailableTokens() >= limit.capacity()));
        perPrincipal.ifPresent(limit -> principals.values().removeIf(b -> b.getAvailableTokens() >= limit.capacity()));
    }

    private static void take(Map<String, Bucket> buckets, String key, Limit limit, String who) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            int seconds = (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999));
            throw ProblemException.tooManyRequests(who + " sent more than " + limit.capacity() + " requests in "
                    + limit.period().toSeconds() + " s; try again in " + seconds + " s", seconds);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}

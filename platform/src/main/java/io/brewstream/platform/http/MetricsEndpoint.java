package io.brewstream.platform.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import io.brewstream.platform.metrics.Observability;
import io.brewstream.platform.security.Access;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;

/**
 * Where Prometheus scrapes {@code /metrics}: on the main port behind a scrape token (Prometheus's
 * {@code authorization: credentials}), or on a port of its own that only the monitoring network reaches
 * ({@code BREWSTREAM_METRICS_PORT}), never open on the main port.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final Optional<String> scrapeToken;
    private final Optional<Integer> separatePort;
    private Javalin separate;

    private MetricsEndpoint(Optional<String> scrapeToken, Optional<Integer> separatePort) {
        this.scrapeToken = scrapeToken;
        this.separatePort = separatePort;
    }

    /** On the main port; a scrape sends {@code Authorization: Bearer <token>}. */
    public static MetricsEndpoint withScrapeToken(String token) {
        if (token.length() < 16) {
            throw new IllegalArgumentException("BREWSTREAM_METRICS_TOKEN must be at least 16 characters");
        }
        return new MetricsEndpoint(Optional.of(token), Optional.empty());
    }

    /** On its own port (0 for a free one), without a token. */
    public static MetricsEndpoint onPort(int port) {
        return new MetricsEndpoint(Optional.empty(), Optional.of(port));
    }

    /** Neither configured: the main port answers 404 with how to enable it. */
    public static MetricsEndpoint disabled() {
        return new MetricsEndpoint(Optional.empty(), Optional.empty());
    }

    void register(RoutesConfig routes, Observability observability) {
        if (separatePort.isPresent()) {
            startSeparate(observability);
            return;
        }
        routes.get("/metrics", ctx -> {
            if (scrapeToken.isEmpty()) {
                throw ProblemException.notFound("metrics are not served on this port: set BREWSTREAM_METRICS_TOKEN"
                        + " (scrape with that bearer token) or BREWSTREAM_METRICS_PORT (a port of their own)");
            }
            String header = ctx.header("Authorization");
            String expected = "Bearer " + scrapeToken.get();
            if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8))) {
                throw new ProblemException(new Problem("urn:brewstream:problem:unauthorized", "Unauthorized", 401,
                        "metrics need the scrape token as a bearer token", null, List.of()), null,
                        java.util.Map.of("WWW-Authenticate", "Bearer realm=\"metrics\""));
            }
            ctx.contentType(HttpService.PROMETHEUS_TEXT).result(observability.scrape());
        }, Access.PUBLIC);
    }

    private synchronized void startSeparate(Observability observability) {
        separate = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.port = separatePort.get();
            config.routes.get("/metrics", ctx -> ctx.contentType(HttpService.PROMETHEUS_TEXT).result(observability.scrape()));
        }).start();
    }

    /** The separate port, once started. */
    public synchronized Optional<Integer> port() {
        return separate == null ? Optional.empty() : Optional.of(separate.port());
    }

    @Override
    public synchronized void close() {
        if (separate != null) {
            separate.stop();
        }
    }
}

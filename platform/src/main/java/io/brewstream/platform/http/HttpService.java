package io.brewstream.platform.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.platform.metrics.Observability;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;

/**
 * An HTTP server with the endpoints every process has ({@code /health}, {@code /ready}, {@code /metrics}),
 * problem responses for errors, request metrics, and the routes of the modules it hosts.
 */
public final class HttpService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpService.class);
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin app;

    private HttpService(Javalin app) {
        this.app = app;
    }

    public static HttpService start(String host, int port, Observability observability, List<HttpRoutes> routes,
            List<ReadinessCheck> readinessChecks) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.jetty.host = host;
            config.jetty.port = port;
            config.http.maxRequestSize = 1_000_000L;
            config.requestLogger.http((ctx, millis) -> recordRequest(observability, ctx, millis));
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
            config.routes.get("/ready", ctx -> ready(ctx, readinessChecks));
            config.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(observability.scrape()));
            config.routes.exception(ProblemException.class, (e, ctx) -> {
                if (e.retryAfterSeconds() != null) {
                    ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
                }
                problem(ctx, e.problem());
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, Problem.of(500, "Internal error", "the request failed; see the server log"));
            });
            routes.forEach(r -> r.register(config.routes));
        }).start();
        return new HttpService(app);
    }

    /** Answers a failed asynchronous request: its problem if it carries one, else a 500. */
    public static void fail(Context ctx, Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ProblemException problem) {
            if (problem.retryAfterSeconds() != null) {
                ctx.header("Retry-After", String.valueOf(problem.retryAfterSeconds()));
            }
            problem(ctx, problem.problem());
        } else {
            log.error("{} {} failed", ctx.method(), ctx.path(), cause);
            problem(ctx, Problem.of(500, "Internal error", "the request failed; see the server log"));
        }
    }

    public static void problem(Context ctx, Problem problem) {
        try {
            // ctx.json() would set application/json; problems have their own media type
            ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE)
                    .result(Json.mapper().writeValueAsString(problem.withInstance(ctx.path())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem response", e);
        }
    }

    private static void ready(Context ctx, List<ReadinessCheck> checks) {
        Map<String, String> status = new LinkedHashMap<>();
        boolean allReady = true;
        for (ReadinessCheck check : checks) {
            boolean ready = check.ready();
            allReady &= ready;
            status.put(check.name(), ready ? "READY" : "NOT_READY");
        }
        if (!allReady) {
            ctx.header("Retry-After", "1");
        }
        ctx.status(allReady ? 200 : 503).json(Map.of("status", allReady ? "READY" : "NOT_READY", "checks", status));
    }

    private static void recordRequest(Observability observability, Context ctx, float millis) {
        String route;
        try {
            route = ctx.endpoint().path;
        } catch (RuntimeException noEndpoint) {
            route = "unmatched";
        }
        Timer.builder("http.server.requests")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", String.valueOf(ctx.statusCode()))
                .register(observability.registry())
                .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}

package io.brewstream.platform.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.platform.metrics.Observability;
import io.brewstream.platform.security.Access;
import io.brewstream.platform.security.Authentication;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;

/**
 * An HTTP server with the endpoints every process has ({@code /health}, {@code /ready}, {@code /metrics}),
 * problem responses for errors, request metrics, and the routes of the modules it hosts.
 */
public final class HttpService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpService.class);
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final java.util.Set<String> UNLIMITED = java.util.Set.of("/health", "/ready", "/metrics");

    private final Javalin app;
    private final MetricsEndpoint metrics;
    private final RateLimits limits;

    private final List<String> endpoints;

    private HttpService(Javalin app, MetricsEndpoint metrics, RateLimits limits, List<String> endpoints) {
        this.endpoints = endpoints;
        this.app = app;
        this.metrics = metrics;
        this.limits = limits;
    }

    /**
     * @param authentication who may call which route; every route but /health, /ready and those marked
     *                       {@link Access#PUBLIC} needs a bearer token
     * @param metrics        where /metrics is served and what it needs
     */
    public static HttpService start(String host, int port, Observability observability, List<HttpRoutes> routes,
            List<ReadinessCheck> readinessChecks, Authentication authentication, MetricsEndpoint metrics) {
        return start(host, port, observability, routes, readinessChecks, authentication, metrics, RateLimits.none());
    }

    /** @param limits requests per client address and per principal */
    public static HttpService start(String host, int port, Observability observability, List<HttpRoutes> routes,
            List<ReadinessCheck> readinessChecks, Authentication authentication, MetricsEndpoint metrics,
            RateLimits limits) {
        List<String> endpoints = new java.util.concurrent.CopyOnWriteArrayList<>();
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.events.handlerAdded(info -> {
                if (info.getHttpMethod().isHttpMethod()) {
                    endpoints.add(info.getHttpMethod().name() + " " + info.getPath());
                }
            });
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.jetty.host = host;
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new ProblemErrorHandler()));
            config.jetty.port = port;
            config.http.maxRequestSize = 1_000_000L;
            config.requestLogger.http((ctx, millis) -> recordRequest(observability, ctx, millis));
            config.routes.beforeMatched(ctx -> {
                if (ctx.routeRoles().contains(Access.PUBLIC) && UNLIMITED.contains(ctx.path())) {
                    return; // probes and scrapes are never limited
                }
                if (!ctx.routeRoles().contains(Access.WEBHOOK)) {
                    limits.checkAddress(ctx);
                }
                authentication.check(ctx);
                limits.checkPrincipal(ctx);
            });
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")), Access.PUBLIC);
            config.routes.get("/ready", ctx -> ready(ctx, readinessChecks), Access.PUBLIC);
            metrics.register(config.routes, observability);
            config.routes.exception(ProblemException.class, (e, ctx) -> answer(ctx, e));
            // every answer Javalin makes itself is a problem too: unknown paths, wrong methods, bodies too large
            config.http.prefer405over404 = true;
            config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx,
                    Problem.of(e.getStatus(), reason(e.getStatus()), e.getMessage())));
            config.routes.error(404, ctx -> {
                if (!isProblem(ctx)) {
                    problem(ctx, Problem.of(404, "Not found", "no such resource: " + ctx.method() + " " + ctx.path()));
                }
            });
            config.routes.error(405, ctx -> {
                if (!isProblem(ctx)) {
                    problem(ctx, Problem.of(405, "Method not allowed", ctx.method() + " is not allowed on " + ctx.path()));
                }
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                String request;
                try {
                    request = ctx.method() + " " + ctx.path();
                } catch (RuntimeException recycled) {
                    // the request is already gone (an event stream closed after its client left, whose request Jetty
                    // recycled): nobody to answer, and Javalin would log two stack traces per such stream
                    log.debug("after its request was gone: {}", e.toString());
                    return;
                }
                log.error("{} failed", request, e);
                problem(ctx, Problem.of(500, "Internal error", "the request failed; see the server log"));
            });
            routes.forEach(r -> r.register(config.routes));
        }).start();
        return new HttpService(app, metrics, limits, List.copyOf(endpoints));
    }

    /** Answers a failed asynchronous request: its problem if it carries one, else a 500. */
    public static void fail(Context ctx, Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ProblemException problem) {
            answer(ctx, problem);
        } else {
            log.error("{} {} failed", ctx.method(), ctx.path(), cause);
            problem(ctx, Problem.of(500, "Internal error", "the request failed; see the server log"));
        }
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(Problem.MEDIA_TYPE);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413 -> "Content too large";
            case 415 -> "Unsupported media type";
            default -> status >= 500 ? "Server error" : "Request refused";
        };
    }

    private static void answer(Context ctx, ProblemException e) {
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        e.headers().forEach(ctx::header);
        problem(ctx, e.problem());
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
            allReady &= ready || !check.essential();
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

    /** Every route this server answers, as {@code METHOD /path}: what the access matrix test must cover. */
    public List<String> endpoints() {
        return endpoints;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        metrics.close();
        limits.close();
    }
}

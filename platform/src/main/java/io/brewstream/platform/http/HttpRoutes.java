package io.brewstream.platform.http;

import io.javalin.config.RoutesConfig;

/** A set of endpoints a module contributes to an HTTP server. */
@FunctionalInterface
public interface HttpRoutes {
    void register(RoutesConfig routes);
}

package io.brewstream.queries;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.security.Access;
import io.javalin.config.RoutesConfig;

/** The OpenAPI description of the read API, at {@value #PATH}. */
public final class OpenApiRoutes implements HttpRoutes {
    public static final String PATH = "/openapi.json";
    private final byte[] document;

    public OpenApiRoutes() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the classpath");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> ctx.contentType("application/json").result(document), Access.PUBLIC);
    }
}

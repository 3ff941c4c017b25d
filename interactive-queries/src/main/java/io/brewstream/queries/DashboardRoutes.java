package io.brewstream.queries;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.security.Access;
import io.javalin.config.RoutesConfig;

/**
 * The live dashboard a shop manager keeps open, at {@value #PATH}: one self-contained page (no assets from the
 * internet) reading the read API and its event streams.
 */
public final class DashboardRoutes implements HttpRoutes {
    public static final String PATH = "/dashboard";
    private final byte[] page;

    public DashboardRoutes() {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream("dashboard/index.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard/index.html is missing from the classpath");
            }
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        // the page holds no data: it signs staff in and reads the API with their token
        routes.get(PATH, ctx -> ctx.contentType("text/html; charset=utf-8").result(page), Access.PUBLIC);
        routes.get("/", ctx -> ctx.redirect(PATH), Access.PUBLIC);
    }
}

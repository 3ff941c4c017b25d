package io.brewstream.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.MetricsEndpoint;
import io.brewstream.platform.security.Authentication;
import io.brewstream.platform.security.DevelopmentIssuer;
import io.brewstream.platform.security.IdentitySettings;
import io.brewstream.platform.security.TokenVerifier;

/**
 * Who a process trusts for tokens, and how its metrics are scraped. With {@code BREWSTREAM_OIDC_ISSUER} set, any
 * OpenID Connect provider; without it, the development issuer whose key is kept in {@code issuerDirectory} (the
 * standalone stack's data directory, or {@code BREWSTREAM_DEV_ISSUER_DIR}), served by this process.
 */
final class Identity {
    final Authentication authentication;
    final List<HttpRoutes> routes;
    final Optional<DevelopmentIssuer> developmentIssuer;

    private Identity(Authentication authentication, List<HttpRoutes> routes, Optional<DevelopmentIssuer> issuer) {
        this.authentication = authentication;
        this.routes = routes;
        this.developmentIssuer = issuer;
    }

    /**
     * @param issuerDirectory where the development issuer keeps its key, when this process may serve one
     * @param selfUrl         this process's own base URL: the development issuer's {@code iss}
     */
    static Identity from(Env env, Optional<Path> issuerDirectory, String selfUrl) {
        IdentitySettings settings = IdentitySettings.from(env);
        if (settings.issuer().isPresent()) {
            return new Identity(new Authentication(TokenVerifier.forProvider(settings)), List.of(), Optional.empty());
        }
        Path directory = issuerDirectory.or(() -> env.optional("BREWSTREAM_DEV_ISSUER_DIR").map(Path::of))
                .orElseThrow(() -> new IllegalArgumentException("set BREWSTREAM_OIDC_ISSUER to your OpenID provider's"
                        + " issuer URL, or BREWSTREAM_DEV_ISSUER_DIR to serve a development issuer from this process"));
        DevelopmentIssuer issuer = DevelopmentIssuer.open(directory, selfUrl, settings);
        return new Identity(new Authentication(issuer.verifier()), List.of(issuer), Optional.of(issuer));
    }

    /**
     * {@code BREWSTREAM_METRICS_PORT}: a port of their own, no token; else {@code BREWSTREAM_METRICS_TOKEN} on the
     * main port; else, with a data directory, a scrape token made once and kept there; else not served.
     */
    static MetricsEndpoint metrics(Env env, Optional<Path> dataDirectory) {
        Optional<String> port = env.optional("BREWSTREAM_METRICS_PORT");
        if (port.isPresent()) {
            return MetricsEndpoint.onPort(env.integer("BREWSTREAM_METRICS_PORT", 0));
        }
        Optional<String> token = env.optional("BREWSTREAM_METRICS_TOKEN")
                .or(() -> dataDirectory.map(Identity::storedScrapeToken));
        return token.map(MetricsEndpoint::withScrapeToken).orElseGet(MetricsEndpoint::disabled);
    }

    static Path scrapeTokenFile(Path dataDirectory) {
        return dataDirectory.resolve("identity").resolve("metrics-token");
    }

    private static String storedScrapeToken(Path dataDirectory) {
        Path file = scrapeTokenFile(dataDirectory);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            Files.writeString(file, token);
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system has no POSIX permissions; the data directory's own protection applies
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the metrics scrape token in " + file, e);
        }
    }
}

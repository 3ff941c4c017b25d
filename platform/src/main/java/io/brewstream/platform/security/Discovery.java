package io.brewstream.platform.security;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.platform.http.Json;

/** The OpenID Connect discovery document ({@code /.well-known/openid-configuration}) of an issuer. */
final class Discovery {
    static final String PATH = "/.well-known/openid-configuration";

    private Discovery() {
    }

    /**
     * The issuer's {@code jwks_uri}. Asked once at start, retried for a while: a provider that is still starting
     * (as the standalone stack's own issuer, or Keycloak next to it) answers within seconds.
     */
    static URL jwksUri(String issuer) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create(issuer.replaceAll("/+$", "") + PATH);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode document = Json.mapper().readTree(response.body());
                    if (!issuer.equals(document.path("issuer").asText())) {
                        throw new IllegalStateException("the discovery document at " + uri + " names issuer '"
                                + document.path("issuer").asText() + "', not '" + issuer + "'");
                    }
                    return TokenVerifier.url(document.path("jwks_uri").asText());
                }
                last = new IOException("HTTP " + response.statusCode());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("cannot read the discovery document " + uri + ": " + last, last);
    }
}

package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.platform.http.Json;

/**
 * The standalone stack against a real OpenID provider, Keycloak, configured only through the environment:
 * its issuer, Keycloak's realm roles claim and the realm's own role names. Tokens come from Keycloak's token
 * endpoint (password grant); the stack finds Keycloak's keys through its discovery document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakIntegrationTest {
    private static final String[] SETTINGS = {"BREWSTREAM_OIDC_ISSUER", "BREWSTREAM_OIDC_ROLES_CLAIM",
        "BREWSTREAM_OIDC_ROLE_NAMES"};

    private KeycloakServer keycloak;
    private Standalone standalone;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        keycloak = KeycloakServer.start("/keycloak/brewstream-realm.json");
        System.setProperty("BREWSTREAM_OIDC_ISSUER", keycloak.issuer());
        System.setProperty("BREWSTREAM_OIDC_ROLES_CLAIM", "realm_access.roles");
        System.setProperty("BREWSTREAM_OIDC_ROLE_NAMES", "staff=barista,manager=shop-manager");
        try {
            standalone = Standalone.start(StandaloneSettingsForTests.onFreePorts(dataDir));
        } finally {
            for (String setting : SETTINGS) {
                System.clearProperty(setting);
            }
        }
        assertThat(standalone.awaitReady(Duration.ofMinutes(2))).isTrue();
    }

    @AfterAll
    void stop() {
        if (standalone != null) {
            standalone.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void keycloakUsersOrderAndServeWithTheirRolesShopsAndCustomerIds() throws Exception {
        String carla = keycloak.passwordGrant("carla", "carla-password");
        String anna = keycloak.passwordGrant("anna", "anna-password");

        HttpResponse<String> placed = post("/api/v1/orders",
                "{\"shopId\":\"berlin-mitte\",\"items\":[{\"menuItemId\":\"espresso\",\"quantity\":1}]}", carla);
        assertThat(placed.statusCode()).isEqualTo(202);
        String orderId = Json.mapper().readTree(placed.body()).get("orderId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/v1/orders/" + orderId, carla).statusCode() == 200);
        JsonNode order = Json.mapper().readTree(get("/api/v1/orders/" + orderId, carla).body());
        assertThat(order.get("customerId").asText()).as("from Keycloak's customer_id attribute").isEqualTo("cust-carla");

        // anna is a barista (Keycloak's name for staff) of berlin-mitte only
        HttpResponse<String> queue = get("/api/v1/shops/berlin-mitte/orders", anna);
        assertThat(queue.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(queue.body()).get("orders").findValuesAsText("orderId")).contains(orderId);
        assertThat(get("/api/v1/shops/berlin-kreuzberg/orders", anna).statusCode()).isEqualTo(403);
        assertThat(post("/api/v1/orders/" + orderId + "/cancel", "{\"reason\":\"out of beans\"}", anna).statusCode())
                .isEqualTo(202);
        assertThat(get("/api/v1/shops/berlin-mitte/orders", carla).statusCode()).isEqualTo(403);
    }

    @Test
    void tokensKeycloakDidNotIssueAreRefusedAndNoDevelopmentIssuerIsServed() throws Exception {
        String carla = keycloak.passwordGrant("carla", "carla-password");
        String[] parts = carla.split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"x\",\"realm_access\":{\"roles\":[\"shop-manager\"]},\"shops\":[\"*\"]}".getBytes());

        assertThat(get("/api/v1/shops/berlin-mitte/orders", parts[0] + "." + otherPayload + "." + parts[2]).statusCode())
                .isEqualTo(401);
        assertThat(standalone.developmentIssuer()).isEmpty();
        assertThat(get("/.well-known/openid-configuration", null).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(standalone.httpUrl() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(standalone.httpUrl() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

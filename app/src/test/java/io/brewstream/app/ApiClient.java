package io.brewstream.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.platform.http.Json;
import io.brewstream.platform.security.DevelopmentIssuer;
import io.brewstream.platform.security.Principal;
import io.brewstream.platform.security.Role;

/**
 * The HTTP calls the end-to-end tests make, as a user with curl would, each with the token of whoever would make
 * it: an order is placed by the customer named in the test's order JSON (taken out of the body, since the API
 * reads the customer from the token), read back by that customer, card payments come from the payment provider,
 * and everything else goes as an operator who manages every shop and analyses fraud. An explicit Authorization
 * header wins.
 */
final class ApiClient {
    private static final Pattern ORDER_PATH = Pattern.compile("/api/v1/orders/([^/?]+)(\\?.*)?");
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final DevelopmentIssuer issuer;
    private final String operator;
    private final Map<String, String> customerOfOrder = new ConcurrentHashMap<>();

    ApiClient(String baseUrl, DevelopmentIssuer issuer) {
        this.baseUrl = baseUrl;
        this.issuer = issuer;
        this.operator = bearer("operator", Set.of(Role.MANAGER, Role.STAFF, Role.ANALYST), Set.of(Principal.ALL_SHOPS),
                Optional.empty());
    }

    String customerToken(String customerId) {
        return bearer(customerId, Set.of(Role.CUSTOMER), Set.of(), Optional.of(customerId));
    }

    String token(Role role, String... shops) {
        return bearer(role.defaultClaimValue() + "-" + String.join("-", shops), Set.of(role), Set.of(shops),
                Optional.empty());
    }

    private String bearer(String subject, Set<Role> roles, Set<String> shops, Optional<String> customer) {
        return "Bearer " + issuer.mint(subject, roles, shops, customer, Duration.ofHours(1));
    }

    HttpResponse<String> post(String path, String json, Map<String, String> headers) throws Exception {
        String token = path.endsWith("/payments") && json.toUpperCase().contains("\"CARD\"")
                ? token(Role.PAYMENT_PROVIDER) : operator;
        return send(path, json, headers, token);
    }

    private HttpResponse<String> send(String path, String json, Map<String, String> headers, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::setHeader);
        if (!headers.containsKey("Authorization")) {
            request.header("Authorization", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        Matcher order = ORDER_PATH.matcher(path);
        String token = order.matches() && customerOfOrder.containsKey(order.group(1))
                ? customerToken(customerOfOrder.get(order.group(1))) : operator;
        return get(path, token);
    }

    HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Places an order as the customer its JSON names and returns its id. */
    String placeOrder(String json, Map<String, String> headers) throws Exception {
        ObjectNode body = (ObjectNode) Json.mapper().readTree(json);
        String customer = body.remove("customerId").asText();
        HttpResponse<String> response = send("/api/v1/orders", Json.mapper().writeValueAsString(body), headers,
                customerToken(customer));
        if (response.statusCode() != 202) {
            throw new AssertionError("expected 202, got " + response.statusCode() + ": " + response.body());
        }
        String orderId = Json.mapper().readTree(response.body()).get("orderId").asText();
        customerOfOrder.put(orderId, customer);
        return orderId;
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    static JsonNode json(String body) throws Exception {
        return Json.mapper().readTree(body);
    }
}

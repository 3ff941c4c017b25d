package io.brewstream.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.platform.http.Json;

/** The HTTP calls the end-to-end tests make, as a user with curl would. */
final class ApiClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    ApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    HttpResponse<String> post(String path, String json, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Places an order and returns its id. */
    String placeOrder(String json, Map<String, String> headers) throws Exception {
        HttpResponse<String> response = post("/api/v1/orders", json, headers);
        if (response.statusCode() != 202) {
            throw new AssertionError("expected 202, got " + response.statusCode() + ": " + response.body());
        }
        return Json.mapper().readTree(response.body()).get("orderId").asText();
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    static JsonNode json(String body) throws Exception {
        return Json.mapper().readTree(body);
    }
}

package io.brewstream.connectors.bots;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A platform reached with JSON over HTTP, with one limit per bot and one per chat. */
abstract class HttpChatPlatform implements ChatPlatform {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String apiUrl;
    private final int botPerSecond;
    private final Duration chatInterval;

    HttpChatPlatform(String apiUrl, int botPerSecond, Duration chatInterval) {
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.botPerSecond = botPerSecond;
        this.chatInterval = chatInterval;
    }

    @Override
    public int botPerSecond() {
        return botPerSecond;
    }

    @Override
    public Duration chatInterval(String chatId) {
        return chatInterval;
    }

    /** Sends the request; its answer read by {@code outcome}, an unreachable platform a SERVER_ERROR. */
    CompletableFuture<Outcome> send(HttpRequest request, Function<HttpResponse<String>, Outcome> outcome) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(outcome)
                .exceptionally(Outcome::unreachable);
    }
}

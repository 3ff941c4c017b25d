package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.brewstream.platform.http.Json;
import picocli.CommandLine;

/** {@code brewstream bots register} calls setWebhook as the Bot API documents it. */
class BotsCommandTest {
    @Test
    void registerSetsTheWebhookWithItsSecretAndTheUpdateKindsTheBotsUse() throws Exception {
        List<String> paths = new CopyOnWriteArrayList<>();
        List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        HttpServer telegram = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        telegram.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            bodies.add(Json.mapper().readTree(exchange.getRequestBody().readAllBytes()));
            byte[] answer = "{\"ok\":true,\"result\":true,\"description\":\"Webhook was set\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        telegram.start();
        Map<String, String> settings = Map.of(
                "BREWSTREAM_TELEGRAM_BOT_TOKENS", "brewbot=42:secret-token",
                "BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS", "brewbot=hook-secret",
                "BREWSTREAM_TELEGRAM_API_URL", "http://127.0.0.1:" + telegram.getAddress().getPort());
        settings.forEach(System::setProperty);
        try {
            int exit = new CommandLine(new Brewstream()).execute("bots", "register", "--bot", "brewbot",
                    "--url", "https://shop.example.com/", "--drop-pending-updates");

            assertThat(exit).isZero();
            assertThat(paths).containsExactly("/bot42:secret-token/setWebhook");
            JsonNode body = bodies.get(0);
            assertThat(body.path("url").asText()).isEqualTo("https://shop.example.com/bots/telegram/brewbot");
            assertThat(body.path("secret_token").asText()).isEqualTo("hook-secret");
            assertThat(body.path("drop_pending_updates").asBoolean()).isTrue();
            assertThat(body.path("allowed_updates").toString()).isEqualTo("[\"message\",\"edited_message\",\"callback_query\"]");
        } finally {
            settings.keySet().forEach(System::clearProperty);
            telegram.stop(0);
        }
    }
}

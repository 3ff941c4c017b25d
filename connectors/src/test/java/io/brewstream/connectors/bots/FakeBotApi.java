package io.brewstream.connectors.bots;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local server answering as Telegram's Bot API does (https://core.telegram.org/bots/api#making-requests): JSON
 * bodies, {@code {"ok":true,"result":...}} on success and {@code {"ok":false,"error_code":N,"description":...}}
 * with the HTTP status N otherwise, {@code parameters.retry_after} on a 429. Each chat's answers are scripted;
 * every call is recorded with when it arrived.
 */
final class FakeBotApi implements AutoCloseable {
    static final String TOKEN = "123456:TEST-token_abc";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Call(String method, long chatId, String text, JsonNode body, Instant at) {
    }

    /** What to answer: the HTTP status (200 for ok), retry_after for a 429, the description otherwise. */
    record Reply(int status, Integer retryAfter, String description) {
        static final Reply OK = new Reply(200, null, null);
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Function<Long, Function<Integer, Reply>> script;
    private final HttpServer server;

    /** @param script for a chat id and the attempt number (1, 2, ...), the reply */
    FakeBotApi(Function<Long, Function<Integer, Reply>> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!path.startsWith("/bot" + TOKEN + "/")) {
            respond(exchange, 401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
            return;
        }
        String method = path.substring(path.lastIndexOf('/') + 1);
        if (method.equals("answerCallbackQuery")) {
            calls.add(new Call(method, 0, null, body, Instant.now()));
            respond(exchange, 200, "{\"ok\":true,\"result\":true}");
            return;
        }
        long chatId = body.path("chat_id").asLong();
        Reply reply = script.apply(chatId).apply(attempts.computeIfAbsent(chatId, c -> new AtomicInteger()).incrementAndGet());
        if (reply.status() == 200) {
            calls.add(new Call(method, chatId, body.path("text").asText(), body, Instant.now()));
            respond(exchange, 200, "{\"ok\":true,\"result\":{\"message_id\":" + calls.size() + ",\"chat\":{\"id\":"
                    + chatId + ",\"type\":\"private\"},\"date\":" + Instant.now().getEpochSecond() + ",\"text\":"
                    + JSON.writeValueAsString(body.path("text").asText()) + "}}");
        } else {
            respond(exchange, reply.status(), "{\"ok\":false,\"error_code\":" + reply.status() + ",\"description\":"
                    + JSON.writeValueAsString(reply.description())
                    + (reply.retryAfter() == null ? "" : ",\"parameters\":{\"retry_after\":" + reply.retryAfter() + "}") + "}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    List<Call> sentTo(long chatId) {
        return calls.stream().filter(c -> c.method().equals("sendMessage") && c.chatId() == chatId).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

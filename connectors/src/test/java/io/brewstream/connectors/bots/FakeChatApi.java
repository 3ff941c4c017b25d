package io.brewstream.connectors.bots;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server for Slack's Web API or Discord's HTTP API: every request recorded (method, path,
 * Authorization, JSON body, when), each answered by a script from the request and its attempt number per path.
 */
final class FakeChatApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Call(String method, String path, String authorization, JsonNode body, Instant at) {
    }

    /** An answer: status, headers, JSON body. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer json(int status, String body) {
            return new Answer(status, Map.of(), body);
        }
    }

    interface Script {
        Answer answer(Call call, int attempt);
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Script script;
    private final HttpServer server;

    FakeChatApi(Script script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), raw.length == 0 ? null : JSON.readTree(raw),
                Instant.now());
        String target = call.path() + "|" + (call.body() == null ? "" : call.body().path("channel").asText(""));
        Answer answer = script.answer(call, attempts.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet());
        calls.add(call);
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    List<Call> to(String pathPart) {
        return calls.stream().filter(c -> c.path().contains(pathPart)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

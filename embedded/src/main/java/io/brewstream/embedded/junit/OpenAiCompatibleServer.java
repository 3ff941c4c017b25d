package io.brewstream.embedded.junit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local server for tests that answers {@code POST /v1/chat/completions} as OpenAI's API reference documents it (and
 * as Ollama's and vLLM's OpenAI-compatible endpoints do): a bearer key, a known model, messages with roles; a
 * {@code chat.completion} object, or with {@code "stream": true} server-sent {@code chat.completion.chunk}s ending in
 * {@code data: [DONE]}; errors as {@code {"error":{"message","type","param","code"}}} with their HTTP status (401
 * invalid_api_key, 404 model_not_found, 400 invalid_request_error, 429 rate_limit_exceeded with {@code retry-after},
 * 500 server_error), and a stream that breaks off with an error event. What it answers is the test's
 * ({@link #answer}); every request is kept ({@link #requests}). On loopback, on a free port.
 */
public final class OpenAiCompatibleServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    /** A request as it came: its Authorization header and its JSON body. */
    public record Request(String authorization, JsonNode body) {
        /** The text of the message with that role, the last one if several. */
        public String last(String role) {
            String text = null;
            for (JsonNode message : body.path("messages")) {
                if (role.equals(message.path("role").asText())) {
                    text = message.path("content").asText();
                }
            }
            return text;
        }
    }

    /** How to answer one request. */
    public sealed interface Reply permits Answer, Failure, BrokenStream {
    }

    /** The model's answer, streamed in these pieces (or whole when not streamed), and why it stopped. */
    public record Answer(List<String> pieces, String finishReason) implements Reply {
        public static Answer of(String... pieces) {
            return new Answer(List.of(pieces), "stop");
        }
    }

    /** An error response: status, OpenAI's error type and code, message, and headers (retry-after). */
    public record Failure(int status, String type, String code, String message, Map<String, String> headers)
            implements Reply {
        public static Failure rateLimited(int retryAfterSeconds) {
            return new Failure(429, "requests", "rate_limit_exceeded", "Rate limit reached for requests per min (RPM):"
                    + " Limit 3, Used 3, Requested 1. Please try again in " + retryAfterSeconds + "s.",
                    Map.of("retry-after", Integer.toString(retryAfterSeconds), "x-ratelimit-limit-requests", "3",
                            "x-ratelimit-remaining-requests", "0"));
        }

        public static Failure serverError() {
            return new Failure(500, "server_error", null,
                    "The server had an error while processing your request. Sorry about that!", Map.of());
        }
    }

    /** A stream that sends these pieces, then an error event instead of the rest. */
    public record BrokenStream(List<String> pieces, String message) implements Reply {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "openai-compatible-server");
        t.setDaemon(true);
        return t;
    });
    private final String apiKey;
    private final Set<String> models;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Function<Request, Reply> answerer = r -> Answer.of("I do not know.");

    private OpenAiCompatibleServer(String apiKey, Set<String> models) throws IOException {
        this.apiKey = apiKey;
        this.models = models;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::chatCompletions);
        server.setExecutor(executor);
    }

    public static OpenAiCompatibleServer start(String apiKey, Set<String> models) {
        try {
            OpenAiCompatibleServer s = new OpenAiCompatibleServer(apiKey, models);
            s.server.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    /** The API's base, as a client is configured with it: {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public OpenAiCompatibleServer answer(Function<Request, Reply> how) {
        this.answerer = how;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void chatCompletions(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                error(exchange, new Failure(405, "invalid_request_error", null,
                        "Invalid method for URL (" + exchange.getRequestMethod() + " /v1/chat/completions)", Map.of()));
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            } catch (IOException e) {
                error(exchange, new Failure(400, "invalid_request_error", null, "We could not parse the JSON body of your"
                        + " request. (HINT: This likely means you aren't using your HTTP library correctly.)", Map.of()));
                return;
            }
            Request request = new Request(authorization, body);
            requests.add(request);
            if (authorization == null || !authorization.equals("Bearer " + apiKey)) {
                error(exchange, new Failure(401, "invalid_request_error", "invalid_api_key",
                        "Incorrect API key provided. You can find your API key at"
                                + " https://platform.openai.com/account/api-keys.", Map.of()));
                return;
            }
            String model = body.path("model").asText("");
            if (!models.contains(model)) {
                error(exchange, new Failure(404, "invalid_request_error", "model_not_found", "The model `" + model
                        + "` does not exist or you do not have access to it.", Map.of()));
                return;
            }
            String problem = invalid(body);
            if (problem != null) {
                error(exchange, new Failure(400, "invalid_request_error", null, problem, Map.of()));
                return;
            }
            Reply reply = answerer.apply(request);
            boolean stream = body.path("stream").asBoolean(false);
            if (reply instanceof Failure failure) {
                error(exchange, failure);
            } else if (reply instanceof Answer answer) {
                if (stream) {
                    stream(exchange, model, answer.pieces(), answer.finishReason(), null);
                } else {
                    whole(exchange, model, answer);
                }
            } else if (reply instanceof BrokenStream broken) {
                stream(exchange, model, broken.pieces(), null, broken.message());
            }
        }
    }

    private static String invalid(JsonNode body) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            return "[] is too short - 'messages'";
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!ROLES.contains(messages.get(i).path("role").asText())) {
                return "Invalid value: '" + messages.get(i).path("role").asText() + "'. Supported values are: 'system',"
                        + " 'assistant', 'user', 'tool', 'function' and 'developer'. - 'messages[" + i + "].role'";
            }
        }
        return null;
    }

    private void whole(HttpExchange exchange, String model, Answer answer) throws IOException {
        ObjectNode completion = JSON.createObjectNode().put("id", "chatcmpl-" + ids.incrementAndGet())
                .put("object", "chat.completion").put("created", System.currentTimeMillis() / 1000).put("model", model);
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", String.join("", answer.pieces()))
                .putNull("refusal");
        choice.putNull("logprobs").put("finish_reason", answer.finishReason());
        completion.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", answer.pieces().size())
                .put("total_tokens", 10 + answer.pieces().size());
        send(exchange, 200, "application/json", completion.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private void stream(HttpExchange exchange, String model, List<String> pieces, String finishReason, String breakWith)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        String id = "chatcmpl-" + ids.incrementAndGet();
        long created = System.currentTimeMillis() / 1000;
        event(out, chunk(id, created, model, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
        for (String piece : pieces) {
            event(out, chunk(id, created, model, JSON.createObjectNode().put("content", piece), null));
        }
        if (breakWith != null) {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("message", breakWith).put("type", "server_error").putNull("param").putNull("code");
            event(out, error.toString());
            return;
        }
        event(out, chunk(id, created, model, JSON.createObjectNode(), finishReason));
        event(out, "[DONE]");
    }

    private static String chunk(String id, long created, String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model).put("system_fingerprint", "fp_local");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk.toString();
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void error(HttpExchange exchange, Failure failure) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error").put("message", failure.message()).put("type", failure.type());
        error.putNull("param");
        if (failure.code() == null) {
            error.putNull("code");
        } else {
            error.put("code", failure.code());
        }
        send(exchange, failure.status(), "application/json", body.toString().getBytes(StandardCharsets.UTF_8),
                failure.headers());
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, Map<String, String> headers)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

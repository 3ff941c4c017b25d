package io.brewstream.connectors.agents;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * A chat-completions endpoint (OpenAI's {@code POST /chat/completions}, or any that speaks it: Ollama at
 * {@code http://localhost:11434/v1}, vLLM, LM Studio), through OpenAI's own Java SDK: the answer streamed as
 * server-sent events and put together from its deltas; 408, 409, 429 and 5xx retried by the SDK with backoff that
 * honours {@code Retry-After}; what is left is an {@link Unavailable} saying what the endpoint said.
 */
public final class ChatCompletionsClient implements AutoCloseable {
    /**
     * @param baseUrl    the API's base, e.g. https://api.openai.com/v1 or http://localhost:11434/v1
     * @param model      the model's name, e.g. gpt-4o-mini or llama3.2
     * @param apiKey     the bearer key (Ollama takes any, e.g. "ollama")
     * @param timeout    for one request, the whole streamed answer included
     * @param maxRetries retries of a 408, 409, 429 or 5xx before giving up
     * @param maxTokens  the longest answer asked for
     */
    public record Settings(String baseUrl, String model, String apiKey, Duration timeout, int maxRetries, long maxTokens) {
        public Settings {
            if (baseUrl == null || baseUrl.isBlank() || model == null || model.isBlank()) {
                throw new IllegalArgumentException("an LLM endpoint needs its base URL and a model");
            }
        }
    }

    /** One turn of the conversation sent. */
    public record Turn(Role role, String text) {
        public enum Role { SYSTEM, USER, ASSISTANT }
    }

    /** The endpoint did not answer: its HTTP status (0: not reached), its error's code and message. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Unavailable(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Settings settings;
    private final OpenAIClient client;

    public ChatCompletionsClient(Settings settings) {
        this.settings = settings;
        this.client = OpenAIOkHttpClient.builder().baseUrl(settings.baseUrl())
                .apiKey(settings.apiKey() == null || settings.apiKey().isBlank() ? "none" : settings.apiKey())
                .timeout(settings.timeout()).maxRetries(settings.maxRetries()).build();
    }

    public String model() {
        return settings.model();
    }

    /** The model's answer to the turns, streamed: each piece to {@code onDelta} as it comes, the whole returned. */
    public String complete(List<Turn> turns, Consumer<String> onDelta) throws Unavailable {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(settings.model())
                .maxCompletionTokens(settings.maxTokens()).temperature(0.2);
        for (Turn turn : turns) {
            switch (turn.role()) {
                case SYSTEM -> params.addSystemMessage(turn.text());
                case USER -> params.addUserMessage(turn.text());
                case ASSISTANT -> params.addAssistantMessage(turn.text());
            }
        }
        StringBuilder answer = new StringBuilder();
        String finish = null;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params.build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    choice.delta().content().filter(piece -> !piece.isEmpty()).ifPresent(piece -> {
                        answer.append(piece); // (the first chunk names the role with an empty content)
                        onDelta.accept(piece);
                    });
                    if (choice.finishReason().isPresent()) {
                        finish = choice.finishReason().get().asString();
                    }
                }
            }
        } catch (RateLimitException e) {
            throw new Unavailable(429, "the model's endpoint is rate limited (" + describe(e) + ") after "
                    + settings.maxRetries() + " retries", e);
        } catch (SseException e) {
            throw new Unavailable(e.statusCode(), "the model's stream broke off: " + e.getMessage(), e);
        } catch (OpenAIServiceException e) {
            throw new Unavailable(e.statusCode(), "the model's endpoint answered " + e.statusCode() + ": " + describe(e), e);
        } catch (OpenAIIoException e) {
            throw new Unavailable(0, "the model's endpoint " + settings.baseUrl() + " cannot be reached: "
                    + e.getMessage(), e);
        }
        if ("content_filter".equals(finish)) {
            throw new Unavailable(200, "the model's endpoint withheld the answer (content_filter)", null);
        }
        if (answer.toString().isBlank()) {
            throw new Unavailable(200, "the model's endpoint answered nothing (finish_reason " + finish + ")", null);
        }
        return answer.toString().strip();
    }

    /** The error's code and message as the endpoint sent them ({"error":{"message","type","code"}}). */
    private static String describe(OpenAIServiceException e) {
        com.fasterxml.jackson.databind.JsonNode body = e.body().convert(com.fasterxml.jackson.databind.JsonNode.class);
        com.fasterxml.jackson.databind.JsonNode error = body != null && body.has("error") ? body.get("error") : body;
        String message = error != null && error.path("message").isTextual() ? error.get("message").asText() : e.getMessage();
        return e.code().map(code -> code + ": ").orElse("") + message;
    }

    @Override
    public void close() {
        client.close();
    }
}

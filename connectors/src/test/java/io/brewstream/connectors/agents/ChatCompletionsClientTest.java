package io.brewstream.connectors.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.brewstream.connectors.agents.ChatCompletionsClient.Turn;
import io.brewstream.embedded.junit.OpenAiCompatibleServer;
import io.brewstream.embedded.junit.OpenAiCompatibleServer.Answer;
import io.brewstream.embedded.junit.OpenAiCompatibleServer.BrokenStream;
import io.brewstream.embedded.junit.OpenAiCompatibleServer.Failure;

/** The LLM agent's client against a local server that answers as OpenAI's chat-completions API does. */
class ChatCompletionsClientTest {
    private final OpenAiCompatibleServer server = OpenAiCompatibleServer.start("sk-test", Set.of("gpt-4o-mini", "llama3.2"));
    private final List<ChatCompletionsClient> clients = new ArrayList<>();
    private static final List<Turn> TURNS = List.of(new Turn(Turn.Role.SYSTEM, "You are the assistant of a shop."),
            new Turn(Turn.Role.USER, "Do you have oat milk?"));

    private ChatCompletionsClient client(String key, String model, int retries) {
        ChatCompletionsClient c = new ChatCompletionsClient(new ChatCompletionsClient.Settings(server.baseUrl(), model,
                key, Duration.ofSeconds(10), retries, 200));
        clients.add(c);
        return c;
    }

    @AfterEach
    void tearDown() {
        clients.forEach(ChatCompletionsClient::close);
        server.close();
    }

    @Test
    void anAnswerIsStreamedPieceByPieceAndPutTogether() throws Exception {
        server.answer(r -> Answer.of("Yes, ", "oat milk is ", "+0.50 EUR."));
        List<String> pieces = new ArrayList<>();
        String answer = client("sk-test", "gpt-4o-mini", 0).complete(TURNS, pieces::add);
        assertThat(answer).isEqualTo("Yes, oat milk is +0.50 EUR.");
        assertThat(pieces).containsExactly("Yes, ", "oat milk is ", "+0.50 EUR.");
        OpenAiCompatibleServer.Request sent = server.requests().get(0);
        assertThat(sent.authorization()).isEqualTo("Bearer sk-test");
        assertThat(sent.body().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(sent.body().path("stream").asBoolean()).isTrue();
        assertThat(sent.body().path("max_completion_tokens").asInt()).isEqualTo(200);
        assertThat(sent.body().path("messages")).extracting(m -> m.path("role").asText() + ": " + m.path("content").asText())
                .containsExactly("system: You are the assistant of a shop.", "user: Do you have oat milk?");
    }

    @Test
    void aRateLimitIsWaitedOutAsRetryAfterSaysAndThenAnswered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.answer(r -> calls.incrementAndGet() == 1 ? Failure.rateLimited(1) : Answer.of("Yes."));
        long start = System.nanoTime();
        assertThat(client("sk-test", "gpt-4o-mini", 2).complete(TURNS, p -> { })).isEqualTo("Yes.");
        assertThat(server.requests()).hasSize(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("retry-after: 1").isGreaterThanOrEqualTo(
                Duration.ofMillis(900));
    }

    @Test
    void whatIsLeftAfterTheRetriesIsUnavailableWithTheEndpointsOwnWords() {
        server.answer(r -> Failure.rateLimited(0));
        assertThatThrownBy(() -> client("sk-test", "gpt-4o-mini", 1).complete(TURNS, p -> { }))
                .isInstanceOfSatisfying(ChatCompletionsClient.Unavailable.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.getMessage()).contains("rate_limit_exceeded: Rate limit reached").contains("after 1 retries");
                });
        assertThat(server.requests()).as("the first try and one retry").hasSize(2);

        server.answer(r -> Failure.serverError());
        assertThatThrownBy(() -> client("sk-test", "gpt-4o-mini", 0).complete(TURNS, p -> { }))
                .isInstanceOfSatisfying(ChatCompletionsClient.Unavailable.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.getMessage()).contains("The server had an error while processing your request");
                });
    }

    @Test
    void aWrongKeyOrAnUnknownModelIsNotRetried() {
        assertThatThrownBy(() -> client("sk-wrong", "gpt-4o-mini", 3).complete(TURNS, p -> { }))
                .isInstanceOfSatisfying(ChatCompletionsClient.Unavailable.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("invalid_api_key: Incorrect API key provided");
                });
        assertThatThrownBy(() -> client("sk-test", "gpt-9", 3).complete(TURNS, p -> { }))
                .isInstanceOfSatisfying(ChatCompletionsClient.Unavailable.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("model_not_found: The model `gpt-9` does not exist");
                });
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aStreamThatBreaksOffOrAnEmptyAnswerOrAnEndpointThatIsNotThereIsUnavailable() throws Exception {
        server.answer(r -> new BrokenStream(List.of("Yes, "), "The server had an error while processing your request."));
        assertThatThrownBy(() -> client("sk-test", "llama3.2", 0).complete(TURNS, p -> { }))
                .isInstanceOfSatisfying(ChatCompletionsClient.Unavailable.class, e ->
                        assertThat(e.getMessage()).contains("stream broke off"));
        server.answer(r -> new Answer(List.of(), "content_filter"));
        assertThatThrownBy(() -> client("sk-test", "llama3.2", 0).complete(TURNS, p -> { }))
                .isInstanceOfSatisfying(ChatCompletionsClient.Unavailable.class, e ->
                        assertThat(e.getMessage()).contains("withheld the answer (content_filter)"));

        String gone = server.baseUrl();
        server.close();
        ChatCompletionsClient offline = new ChatCompletionsClient(new ChatCompletionsClient.Settings(gone, "llama3.2",
                "ollama", Duration.ofSeconds(2), 0, 50));
        clients.add(offline);
        assertThatThrownBy(() -> offline.complete(TURNS, p -> { }))
                .isInstanceOfSatisfying(ChatCompletionsClient.Unavailable.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).contains("cannot be reached");
                });
    }
}

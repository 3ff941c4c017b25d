package io.brewstream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Telegram updates at the webhook, as Telegram sends them: {@code Update} JSON with the secret token header, from
 * many chats. A request completes when the webhook answers 200, that is once the update is durably on its topic.
 */
public final class TelegramWebhookBenchmark {
    private static final int CHATS = 10_000;

    private final String webhookUrl;
    private final String secret;

    /** @param webhookUrl e.g. http://127.0.0.1:8080/bots/telegram/brewbot */
    public TelegramWebhookBenchmark(String webhookUrl, String secret) {
        this.webhookUrl = webhookUrl;
        this.secret = secret;
    }

    /** {@code count} updates at {@code ratePerSecond} (0: as fast as {@code concurrency} requests in flight allow). */
    public BenchResult run(String name, long count, int ratePerSecond, int concurrency, long firstUpdateId) throws Exception {
        Measurement measurement = new Measurement(name);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore inFlight = new Semaphore(concurrency);
        URI uri = URI.create(webhookUrl);
        try (ProcessSampler sampler = new ProcessSampler()) {
            Pacer pacer = new Pacer(ratePerSecond);
            for (long i = 0; i < count; i++) {
                pacer.awaitTurn(i);
                inFlight.acquire();
                long updateId = firstUpdateId + i;
                long chat = 100_000 + updateId % CHATS;
                String update = "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":" + updateId
                        + ",\"from\":{\"id\":" + chat + ",\"is_bot\":false,\"first_name\":\"Bench\"},\"chat\":{\"id\":" + chat
                        + ",\"type\":\"private\"},\"date\":" + Instant.now().getEpochSecond() + ",\"text\":\"/help\"}}";
                long sent = System.nanoTime();
                measurement.sent();
                client.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .header("X-Telegram-Bot-Api-Secret-Token", secret)
                        .POST(HttpRequest.BodyPublishers.ofString(update)).build(), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((response, e) -> {
                            inFlight.release();
                            if (e != null) {
                                measurement.error("HTTP request failed: " + e.getClass().getSimpleName());
                            } else if (response.statusCode() != 200) {
                                measurement.error("HTTP " + response.statusCode());
                            } else {
                                measurement.completed(sent);
                            }
                        });
            }
            if (!inFlight.tryAcquire(concurrency, 60, TimeUnit.SECONDS)) {
                measurement.error("requests still open after 60 s");
            }
            return measurement.result(sampler.usage());
        }
    }

}

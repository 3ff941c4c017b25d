package io.brewstream.queries.routing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.http.ProblemException;
import io.javalin.http.Context;

/**
 * Sends each read to the instance that owns its key ({@code queryMetadataForKey}, {@code application.server}),
 * forwarding it over HTTP when that is another instance, and fans reads over all keys out to every instance.
 * With {@code ?allowStale=true} a key this instance holds a standby replica of is served here.
 */
public final class InstanceRouter {
    /** Set on a forwarded request: answer from this instance's own stores, never forward again. */
    public static final String LOCAL_ONLY_HEADER = "Brewstream-Local-Only";
    private static final List<String> FORWARDED_HEADERS = List.of("Retry-After", "Brewstream-Wait", "Location");

    private final KafkaStreams streams;
    private final Optional<HostInfo> self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param self this instance's application.server, empty when it runs alone without one */
    public InstanceRouter(KafkaStreams streams, Optional<HostInfo> self) {
        this.streams = streams;
        this.self = self;
    }

    public static boolean allowStale(Context ctx) {
        return Boolean.parseBoolean(ctx.queryParam("allowStale"));
    }

    public static boolean localOnly(Context ctx) {
        return ctx.header(LOCAL_ONLY_HEADER) != null;
    }

    /**
     * Forwards the request when another instance owns the key and returns empty; otherwise returns the key's
     * partition, which this instance reads (reading that partition only, a key whose task is moving answers
     * 503 instead of a wrong 404).
     */
    public OptionalInt route(Context ctx, String storeName, String key) {
        return route(ctx, storeName, key, null);
    }

    /**
     * {@link #route(Context, String, String)} for a store whose keys are not spread by Kafka's default partitioner:
     * the partitioner its application's input topics are written with (the order stores: by shop).
     */
    public OptionalInt route(Context ctx, String storeName, String key, StreamPartitioner<String, ?> partitioner) {
        KeyQueryMetadata metadata;
        try {
            metadata = partitioner == null ? streams.queryMetadataForKey(storeName, key, new StringSerializer())
                    : streams.queryMetadataForKey(storeName, key, partitioner);
        } catch (RuntimeException notRunning) { // starting, shutting down, or between assignments
            throw ProblemException.unavailable("the " + storeName + " store cannot be located while the application is "
                    + streams.state() + ": " + notRunning.getMessage(), 1);
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            throw ProblemException.unavailable("no instance owns " + storeName + " key " + key + " right now", 1);
        }
        boolean local = self.isEmpty() || metadata.activeHost().equals(self.get())
                || allowStale(ctx) && metadata.standbyHosts().contains(self.get());
        if (local) {
            return OptionalInt.of(metadata.partition());
        }
        if (localOnly(ctx)) {
            throw ProblemException.unavailable("this instance no longer owns " + key + "; ask again", 1);
        }
        List<HostInfo> candidates = new ArrayList<>();
        candidates.add(metadata.activeHost());
        if (allowStale(ctx)) {
            candidates.addAll(metadata.standbyHosts());
        }
        ctx.future(() -> forward(ctx, candidates, 0).exceptionally(error -> {
            HttpService.fail(ctx, error);
            return null;
        }));
        return OptionalInt.empty();
    }

    private CompletableFuture<Void> forward(Context ctx, List<HostInfo> hosts, int index) {
        HttpRequest request = withCallersToken(ctx, HttpRequest.newBuilder(uri(hosts.get(index), ctx))
                .header(LOCAL_ONLY_HEADER, "1").timeout(Duration.ofSeconds(45)).GET()).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenAccept(response -> {
                    ctx.status(response.statusCode());
                    response.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
                    FORWARDED_HEADERS.forEach(h -> response.headers().firstValue(h).ifPresent(v -> ctx.header(h, v)));
                    ctx.result(response.body());
                })
                .exceptionallyCompose(error -> {
                    if (index + 1 < hosts.size()) {
                        return forward(ctx, hosts, index + 1);
                    }
                    throw ProblemException.unavailable("the instance owning this key cannot be reached: " + error.getMessage(), 1);
                });
    }

    /**
     * The same read's answers from every other instance (each answering from its own stores), for merging with
     * this one's. Empty when this instance runs alone or answers a fanned-out request itself.
     */
    public CompletableFuture<List<JsonNode>> fanOut(Context ctx) {
        if (self.isEmpty() || localOnly(ctx)) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        java.util.Collection<StreamsMetadata> instances;
        try {
            instances = streams.metadataForAllStreamsClients();
        } catch (RuntimeException notRunning) {
            return CompletableFuture.failedFuture(ProblemException.unavailable(
                    "the other instances cannot be located now: " + notRunning.getMessage(), 1));
        }
        for (StreamsMetadata instance : instances) {
            if (instance.hostInfo().equals(self.get())) {
                continue;
            }
            HttpRequest request = withCallersToken(ctx, HttpRequest.newBuilder(uri(instance.hostInfo(), ctx))
                    .header(LOCAL_ONLY_HEADER, "1").timeout(Duration.ofSeconds(10)).GET()).build();
            answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                if (response.statusCode() != 200) {
                    throw ProblemException.unavailable("instance " + instance.hostInfo() + " answered "
                            + response.statusCode() + "; the merged answer would be incomplete", 1);
                }
                try {
                    return Json.mapper().readTree(response.body());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("unreadable answer from " + instance.hostInfo(), e);
                }
            }).exceptionally(error -> {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof ProblemException problem) {
                    throw problem;
                }
                // an instance that left (or has not come up yet): the answer would be incomplete, ask again
                throw ProblemException.unavailable("instance " + instance.hostInfo() + " cannot be reached ("
                        + cause + "); the merged answer would be incomplete", 1);
            }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> answers.stream().map(CompletableFuture::join).toList());
    }

    /**
     * Answers a read over all keys: this instance's items merged with every other instance's, in the given order.
     *
     * @param envelope  the answer's other fields
     * @param listField the field holding the items
     */
    public void respondMerged(Context ctx, java.util.Map<String, Object> envelope, String listField, List<?> localItems,
            java.util.Comparator<JsonNode> order) {
        ctx.future(() -> fanOut(ctx).thenAccept(others -> {
            List<JsonNode> items = new ArrayList<>();
            localItems.forEach(item -> items.add(Json.mapper().valueToTree(item)));
            others.forEach(answer -> answer.path(listField).forEach(items::add));
            items.sort(order);
            java.util.Map<String, Object> body = new java.util.LinkedHashMap<>(envelope);
            body.put(listField, items);
            ctx.json(body);
        }).exceptionally(error -> {
            HttpService.fail(ctx, error);
            return null;
        }));
    }

    /** The owning instance checks the caller's token itself: the caller's Authorization goes along. */
    private static HttpRequest.Builder withCallersToken(Context ctx, HttpRequest.Builder request) {
        String authorization = ctx.header("Authorization");
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private static URI uri(HostInfo host, Context ctx) {
        String query = ctx.queryString();
        return URI.create("http://" + host.host() + ":" + host.port() + ctx.path() + (query == null ? "" : "?" + query));
    }
}

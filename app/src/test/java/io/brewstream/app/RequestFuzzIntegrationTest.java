package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.platform.security.Role;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;

/**
 * Random and malformed requests at every route the server answers: paths with odd parameters, every method,
 * bodies that are half JSON, wrong JSON or bytes, odd Content-Types and charsets, tokens that are missing, forged,
 * expired or of any role, and query strings out of range. Seeded, so a failure is repeatable
 * ({@code -Dbrewstream.fuzz.seed=N}). Every answer must be 2xx, a 4xx problem or a 503 with Retry-After, never a
 * 500; and the topics commands go to must grow by exactly the number of commands the server accepted, so a
 * refused request wrote nothing.
 */
class RequestFuzzIntegrationTest {
    private static final int REQUESTS = Integer.getInteger("brewstream.fuzz.requests", 1500);
    private static final List<Topic<?>> COMMAND_TOPICS = List.of(Topics.ORDER_COMMANDS, Topics.PAYMENTS);

    @Test
    void noRequestGetsA500AndRefusedOnesWriteNothing(@TempDir Path dataDir) throws Exception {
        long seed = Long.getLong("brewstream.fuzz.seed", System.nanoTime());
        System.out.println("request fuzz seed " + seed + " (rerun with -Dbrewstream.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        System.setProperty("BREWSTREAM_RATE_LIMIT_PER_ADDRESS", "off");
        System.setProperty("BREWSTREAM_RATE_LIMIT_PER_PRINCIPAL", "off");
        System.setProperty("BREWSTREAM_STRIPE_WEBHOOK_SECRETS", "whsec_fuzz");
        Standalone standalone;
        try {
            standalone = Standalone.start(StandaloneSettingsForTests.onFreePorts(dataDir));
        } finally {
            System.clearProperty("BREWSTREAM_RATE_LIMIT_PER_ADDRESS");
            System.clearProperty("BREWSTREAM_RATE_LIMIT_PER_PRINCIPAL");
            System.clearProperty("BREWSTREAM_STRIPE_WEBHOOK_SECRETS");
        }
        try (standalone) {
            assertThat(standalone.awaitReady(Duration.ofMinutes(2))).isTrue();
            ApiClient api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
            String realOrder = api.placeOrder("""
                    {"shopId":"berlin-mitte","customerId":"cust-fuzz","items":[{"menuItemId":"latte","quantity":1}]}""",
                    Map.of());
            Fuzz fuzz = new Fuzz(random, api, realOrder);
            List<String> routes = standalone.endpoints();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

            long before = commandRecords(standalone.bootstrapServers());
            int accepted = 0;
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                String endpoint = routes.get(random.nextInt(routes.size()));
                String path = fuzz.path(endpoint.substring(endpoint.indexOf(' ') + 1));
                // mostly the route's own method, so most requests get past routing into the handlers
                String method = random.nextInt(10) < 7 ? endpoint.substring(0, endpoint.indexOf(' ')) : null;
                HttpRequest request = fuzz.request(URI.create(standalone.httpUrl() + path), method);
                HttpResponse<java.io.InputStream> response;
                String body;
                try {
                    response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                        response.body().close(); // an event stream opened: its status is the answer
                        body = "";
                    } else {
                        try (java.io.InputStream in = response.body()) {
                            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }
                    }
                } catch (HttpTimeoutException slow) {
                    failures.add("no answer within " + answerWithin(request.uri()).toSeconds() + " s: "
                            + request.method() + " " + path);
                    continue;
                } catch (java.io.IOException refusedByJetty) {
                    // Jetty closed a request it could not parse (a malformed URI, for one): nothing reached the API
                    continue;
                }
                int status = response.statusCode();
                statuses.merge(status, 1, Integer::sum);
                String describe = request.method() + " " + path + " -> " + status + " " + abbreviate(body);
                if (status >= 500 && status != 503) {
                    failures.add(describe);
                }
                if (status == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
                    failures.add("503 without Retry-After: " + describe);
                }
                if (status >= 400 && !method(request).equals("HEAD") && !response.headers().firstValue("Content-Type").orElse("")
                        .startsWith("application/problem+json")) {
                    failures.add("not a problem response: " + describe);
                }
                if (status == 202 || body.contains("\"outcome\":\"recorded")) {
                    accepted++;
                }
            }
            long written = commandRecords(standalone.bootstrapServers()) - before;
            System.out.println("request fuzz: " + REQUESTS + " requests, statuses " + statuses + ", " + accepted
                    + " accepted, " + written + " records written");

            assertThat(failures).as("answers that are neither 2xx, a 4xx problem nor a 503 with Retry-After").isEmpty();
            assertThat(written).as("command records written: exactly one per accepted request").isEqualTo(accepted);
        }
    }

    /**
     * How long an answer may take: 3 s, but a long-poll (a {@code waitFor}, without a valid {@code timeout} 10 s)
     * may hold the request up to its longest wait, 30 s, before it answers.
     */
    static Duration answerWithin(URI uri) {
        return uri.getRawQuery() != null && uri.getRawQuery().contains("waitFor=") ? Duration.ofSeconds(33)
                : Duration.ofSeconds(3);
    }

    private static String method(HttpRequest request) {
        return request.method();
    }

    private static String abbreviate(String body) {
        return body.length() > 160 ? body.substring(0, 160) + "..." : body;
    }

    private static long commandRecords(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            for (Topic<?> topic : COMMAND_TOPICS) {
                for (int p = 0; p < topic.partitions(); p++) {
                    request.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
                }
            }
            return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    /** Makes one random request: some well-formed, most not. */
    private static final class Fuzz {
        private static final String[] METHODS = {"GET", "GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
            "HEAD"};
        private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
            "application/json; charset=x", "application/json; charset=\"", "application/json;;;", "text/plain",
            "application/xml", "multipart/form-data; boundary=x", "", "application/json; charset=ISO-8859-1",
            "aPpLiCaTiOn/JSON", "*/*"};
        private static final String[] ODD = {"", " ", "%00", "%2e%2e%2f", "..", "%ff%fe", "İ", "medİum", "a".repeat(300),
            "%E2%80%AE", "null", "-1", "0", "9".repeat(40), "x:y:z", "%20bad%20", "{orderId}", "\\u0000", "'; DROP TABLE"};
        private static final String[] BODIES = {"", "{", "}", "[]", "null", "0", "\"x\"", "{\"shopId\":null}",
            "{\"shopId\":\"berlin-mitte\",\"items\":[{\"menuItemId\":\"latte\",\"quantity\":1}]}",
            "{\"shopId\":\"berlin-mitte\",\"items\":[{\"menuItemId\":\"latte\",\"quantity\":1,\"size\":\"medİum\"}]}",
            "{\"shopId\":\"berlin-mitte\",\"items\":[{\"menuItemId\":\"latte\",\"quantity\":1e400}]}",
            "{\"shopId\":\"berlin-mitte\",\"items\":[{\"menuItemId\":\"latte\",\"quantity\":99999999999999999999}]}",
            "{\"reason\":\"x\"}", "{\"pickupCode\":\"ABCD\"}", "{}",
            "{\"method\":\"CASH\",\"amount\":{\"amountMinor\":490,\"currency\":\"EUR\"}}",
            "{\"method\":\"CARD\",\"amount\":{\"amountMinor\":-1,\"currency\":\"EUR\"}}",
            "{\"method\":\"cash\",\"amount\":{\"amountMinor\":9223372036854775807,\"currency\":\"EUR\"}}",
            "{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":{}}}",
            "[".repeat(5000), "{\"a\":".repeat(3000), "\u0000\u0001\u0002", "{\"note\":\"" + "\u2028".repeat(50) + "\"}"};
        private static final String[] QUERY_KEYS = {"waitFor", "timeout", "from", "to", "allowStale", "state", "x"};
        private static final String[] QUERY_VALUES = {"VALIDATED", "nope", "0s", "500ms", "1s", "-1s", "31s",
            "PT99999999999H", "abc", "+1000000000-12-31T23:59:59Z", "-1000000000-01-01T00:00:00Z",
            "2026-11-21T00:00:00Z", "true", "PLACED,READY", ",,,", "İ", "%ZZ", ""};

        private final Random random;
        private final ApiClient api;
        private final String realOrder;
        private final List<String> tokens = new ArrayList<>();

        Fuzz(Random random, ApiClient api, String realOrder) {
            this.random = random;
            this.api = api;
            this.realOrder = realOrder;
            tokens.add(null);
            tokens.add("Bearer");
            tokens.add("Bearer ");
            tokens.add("Basic dXNlcjpwYXNz");
            tokens.add("Bearer a.b.c");
            tokens.add("Bearer " + "x".repeat(20_000));
            tokens.add("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGVzIjpbIm1hbmFnZXIiXX0.");
            tokens.add(api.customerToken("cust-fuzz"));
            tokens.add(api.customerToken("cust-other"));
            for (Role role : Role.values()) {
                tokens.add(api.token(role, "berlin-mitte"));
            }
            tokens.add(api.token(Role.MANAGER, "*"));
        }

        String path(String route) {
            StringBuilder path = new StringBuilder();
            for (String segment : route.split("/")) {
                if (segment.isEmpty()) {
                    continue;
                }
                path.append('/');
                if (segment.startsWith("{")) {
                    path.append(value(segment));
                } else {
                    path.append(segment);
                }
            }
            if (path.length() == 0) {
                path.append('/');
            }
            if (random.nextInt(3) == 0) {
                path.append('?');
                for (int i = random.nextInt(4); i >= 0; i--) {
                    path.append(pick(QUERY_KEYS)).append('=').append(URLEncoder.encode(pick(QUERY_VALUES),
                            StandardCharsets.UTF_8)).append('&');
                }
            }
            return path.toString();
        }

        private String value(String parameter) {
            int roll = random.nextInt(10);
            if (roll < 4) {
                return switch (parameter) {
                    case "{orderId}" -> random.nextBoolean() ? realOrder : OrderIds.forRequest("berlin-mitte", "someone", null);
                    case "{shopId}" -> random.nextBoolean() ? "berlin-mitte" : "berlin-kreuzberg";
                    case "{menuItemId}" -> "latte";
                    case "{customerId}" -> "cust-fuzz";
                    default -> "x";
                };
            }
            String odd = pick(ODD);
            return odd.contains("%") ? odd : URLEncoder.encode(odd, StandardCharsets.UTF_8).replace("+", "%20");
        }

        HttpRequest request(URI uri, String routeMethod) {
            if (routeMethod != null && random.nextInt(10) < 3) {
                return plausible(uri, routeMethod);
            }
            String method = routeMethod != null ? routeMethod : pick(METHODS);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(answerWithin(uri));
            String token = tokens.get(random.nextInt(tokens.size()));
            if (token != null) {
                request.header("Authorization", token);
            }
            String contentType = pick(CONTENT_TYPES);
            if (!contentType.isEmpty()) {
                request.header("Content-Type", contentType);
            }
            if (random.nextInt(4) == 0) {
                request.header("Idempotency-Key", random.nextBoolean() ? "k-" + random.nextInt(50) : "x".repeat(400));
            }
            if (random.nextInt(5) == 0) {
                request.header("X-Forwarded-For", random.nextBoolean() ? "198.51.100.7, 10.0.0.1" : "not-an-ip, ::zz");
            }
            if (random.nextInt(6) == 0) {
                request.header("Stripe-Signature", random.nextBoolean() ? "t=1,v1=00" : "garbage");
            }
            if (random.nextInt(8) == 0) {
                request.header("Accept", "text/event-stream");
            }
            byte[] body = random.nextInt(6) == 0 ? randomBytes() : pick(BODIES).getBytes(StandardCharsets.UTF_8);
            HttpRequest.BodyPublisher publisher = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
            return request.method(method, publisher).build();
        }

        /** A request a real client could send: the route's method, a fitting token, JSON, a body that fits the route. */
        private HttpRequest plausible(URI uri, String method) {
            String path = uri.getPath();
            String body = path.endsWith("/orders") ? BODIES[8] : path.endsWith("/cancel") ? "{\"reason\":\"fuzz\"}"
                    : path.endsWith("/claim") ? "{\"pickupCode\":\"ABCD\"}" : path.endsWith("/payments") ? BODIES[15] : "{}";
            String token = tokens.get(7 + random.nextInt(tokens.size() - 7)); // one of the valid tokens
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(answerWithin(uri))
                    .header("Authorization", token).header("Content-Type", "application/json");
            return request.method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString(body)
                    : HttpRequest.BodyPublishers.noBody()).build();
        }

        private byte[] randomBytes() {
            byte[] bytes = new byte[random.nextInt(2_000)];
            random.nextBytes(bytes);
            return bytes;
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }
    }

}

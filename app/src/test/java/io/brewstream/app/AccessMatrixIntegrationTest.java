package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.platform.security.Role;

/**
 * Who may call what, route by route and caller by caller, on the standalone stack: 401 without a valid token,
 * 403 for the wrong role, shop or customer, and the route's own answer otherwise. The matrix must name every
 * route the server answers (checked against the server's own list), so a new route cannot go unreviewed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixIntegrationTest {
    private static final String SHOP = "berlin-mitte";
    private static final String OTHER_SHOP = "berlin-kreuzberg";
    /** What an allowed caller may get, beside 200: a read of something not there yet, or a 202 for a command. */
    private static final Set<Integer> OK = Set.of(200, 201, 202, 404);

    private Standalone standalone;
    private ApiClient api;
    private Path dataDir;
    private String orderId;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> callers = new LinkedHashMap<>();

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        this.dataDir = dataDir;
        // the matrix asks 548 questions from one address within seconds: the rate limits (tested in RateLimitsTest)
        // would answer the last of them 429 whenever the stack answers quickly, which is not what this test is about
        standalone = StandaloneSettingsForTests.startWith(dataDir, Map.of(
                "BREWSTREAM_RATE_LIMIT_PER_ADDRESS", "off",
                "BREWSTREAM_RATE_LIMIT_PER_PRINCIPAL", "off",
                "BREWSTREAM_STRIPE_WEBHOOK_SECRETS", "whsec_matrix",
                "BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS", "brewbot=matrix-secret",
                "BREWSTREAM_SLACK_SIGNING_SECRETS", "brewapp=matrix0slack0secret",
                "BREWSTREAM_DISCORD_PUBLIC_KEYS", "brewapp=d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        assertThat(standalone.awaitReady(Duration.ofMinutes(2))).isTrue();
        api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
        orderId = api.placeOrder("""
                {"shopId":"berlin-mitte","customerId":"cust-a","items":[{"menuItemId":"latte","quantity":1}]}""", Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/orders/" + orderId).statusCode() == 200);

        callers.put("nobody", null);
        callers.put("forged", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        callers.put("customer-a", api.customerToken("cust-a"));
        callers.put("customer-b", api.customerToken("cust-b"));
        callers.put("staff", api.token(Role.STAFF, SHOP));
        callers.put("staff-elsewhere", api.token(Role.STAFF, OTHER_SHOP));
        callers.put("manager", api.token(Role.MANAGER, SHOP));
        callers.put("manager-elsewhere", api.token(Role.MANAGER, OTHER_SHOP));
        callers.put("analyst", api.token(Role.ANALYST));
        callers.put("bot-gateway", api.token(Role.BOT_GATEWAY));
        callers.put("chain-watcher", api.token(Role.CHAIN_WATCHER));
        callers.put("payment-provider", api.token(Role.PAYMENT_PROVIDER));
        callers.put("market-data", api.token(Role.MARKET_DATA));
    }

    @AfterAll
    void stop() {
        standalone.close();
    }

    /** A route, how to call it, and which callers it lets through. */
    private record Row(String route, String method, String path, String body, Set<String> allowed, boolean open) {
    }

    private List<Row> rows() {
        String o = "/api/v1/orders/" + orderId;
        String s = "/api/v1/shops/" + SHOP;
        Set<String> shopPeople = Set.of("staff", "manager");
        Set<String> everyone = new TreeSet<>(callers.keySet());
        everyone.removeAll(Set.of("nobody", "forged"));
        String cash = "{\"method\":\"CASH\",\"amount\":{\"amountMinor\":490,\"currency\":\"EUR\"}}";
        String card = "{\"method\":\"CARD\",\"amount\":{\"amountMinor\":490,\"currency\":\"EUR\"}}";
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("GET /health", "GET", "/health", null, Set.of(), true));
        rows.add(new Row("GET /ready", "GET", "/ready", null, Set.of(), true));
        rows.add(new Row("GET /openapi.json", "GET", "/openapi.json", null, Set.of(), true));
        rows.add(new Row("GET /dashboard", "GET", "/dashboard", null, Set.of(), true));
        rows.add(new Row("GET /", "GET", "/", null, Set.of(), true));
        rows.add(new Row("GET /.well-known/openid-configuration", "GET", "/.well-known/openid-configuration", null, Set.of(), true));
        rows.add(new Row("GET /.well-known/jwks.json", "GET", "/.well-known/jwks.json", null, Set.of(), true));
        rows.add(new Row("GET /.well-known/agent-card.json", "GET", "/.well-known/agent-card.json", null, Set.of(), true));
        rows.add(new Row("GET /api/v1/orders/{orderId}", "GET", o, null,
                Set.of("customer-a", "staff", "manager", "analyst"), false));
        rows.add(new Row("GET /api/v1/shops/{shopId}/orders", "GET", s + "/orders", null, shopPeople, false));
        rows.add(new Row("GET /api/v1/shops/{shopId}/stock", "GET", s + "/stock", null, Set.of("manager"), false));
        rows.add(new Row("GET /api/v1/shops/{shopId}/prices", "GET", s + "/prices", null, everyone, false));
        rows.add(new Row("GET /api/v1/shops/{shopId}/prices/{menuItemId}", "GET", s + "/prices/latte", null,
                Set.of("manager"), false));
        rows.add(new Row("GET /api/v1/shops/{shopId}/prices/{menuItemId}/history", "GET", s + "/prices/latte/history",
                null, Set.of("manager"), false));
        rows.add(new Row("GET /api/v1/shops/{shopId}/stats", "GET", s + "/stats", null, Set.of("manager"), false));
        rows.add(new Row("GET /api/v1/customers/{customerId}/risk", "GET", "/api/v1/customers/cust-a/risk", null,
                Set.of("analyst"), false));
        rows.add(new Row("GET /api/v1/fraud/alerts", "GET", "/api/v1/fraud/alerts", null, Set.of("analyst"), false));
        rows.add(new Row("GET /api/v1/streams/shops/{shopId}/orders", "SSE", "/api/v1/streams/shops/" + SHOP + "/orders",
                null, shopPeople, false));
        rows.add(new Row("GET /api/v1/streams/shops/{shopId}/prices", "SSE", "/api/v1/streams/shops/" + SHOP + "/prices",
                null, everyone, false));
        rows.add(new Row("GET /api/v1/streams/fraud-alerts", "SSE", "/api/v1/streams/fraud-alerts", null,
                Set.of("analyst"), false));
        rows.add(new Row("POST /api/v1/orders", "POST", "/api/v1/orders",
                "{\"shopId\":\"berlin-mitte\",\"items\":[{\"menuItemId\":\"espresso\",\"quantity\":1}]}",
                Set.of("customer-a", "customer-b"), false));
        rows.add(new Row("POST /api/v1/orders/{orderId}/start", "POST", o + "/start", "{}", shopPeople, false));
        rows.add(new Row("POST /api/v1/orders/{orderId}/ready", "POST", o + "/ready", "{}", shopPeople, false));
        rows.add(new Row("POST /api/v1/orders/{orderId}/claim", "POST", o + "/claim", "{\"pickupCode\":\"ZZZZ\"}",
                Set.of("customer-a", "staff", "manager"), false));
        rows.add(new Row("POST /api/v1/orders/{orderId}/payments (cash)", "POST", o + "/payments", cash, shopPeople, false));
        rows.add(new Row("POST /api/v1/orders/{orderId}/payments (card)", "POST", o + "/payments", card,
                Set.of("payment-provider"), false));
        rows.add(new Row("POST /api/v1/orders/{orderId}/cancel", "POST", o + "/cancel", "{\"reason\":\"matrix\"}",
                Set.of("customer-a", "staff", "manager"), false));
        rows.add(new Row("POST /api/v1/customers/me/chat-links", "POST", "/api/v1/customers/me/chat-links", "{}",
                Set.of("customer-a", "customer-b"), false));
        rows.add(new Row("POST /api/v1/shops/{shopId}/staff-chat-links", "POST", s + "/staff-chat-links", "{}",
                Set.of("manager"), false));
        rows.add(new Row("POST /api/v1/orders/{orderId}/invoices", "POST", o + "/invoices", "{\"asset\":\"ETH\"}",
                Set.of("customer-a"), false));
        rows.add(new Row("GET /api/v1/invoices/{invoiceId}", "GET", "/api/v1/invoices/" + orderId + ".00000000000000ab",
                null, Set.of("customer-a", "staff", "manager"), false));
        rows.add(new Row("GET /api/v1/orders/{orderId}/invoices", "GET", o + "/invoices", null,
                Set.of("customer-a", "staff", "manager"), false));
        rows.add(new Row("GET /api/v1/shops/{shopId}/invoices", "GET", s + "/invoices", null, shopPeople, false));
        rows.add(new Row("GET /api/v1/streams/shops/{shopId}/invoices", "SSE", "/api/v1/streams/shops/" + SHOP + "/invoices",
                null, shopPeople, false));
        rows.add(new Row("POST /api/v1/market-data/book-updates", "POST", "/api/v1/market-data/book-updates",
                "{\"updates\":[{\"venue\":\"matrix\",\"pair\":\"ETH-USDC\",\"sequence\":1,\"snapshot\":true,"
                        + "\"bids\":[[\"3000\",\"1\"]],\"asks\":[[\"3001\",\"1\"]]}]}", Set.of("market-data"), false));
        rows.add(new Row("GET /api/v1/arbitrage/opportunities", "GET", "/api/v1/arbitrage/opportunities", null,
                Set.of("analyst", "manager", "manager-elsewhere"), false));
        rows.add(new Row("GET /api/v1/arbitrage/opportunities/{opportunityId}", "GET",
                "/api/v1/arbitrage/opportunities/ETH-USDC:alpha:beta:1764061200000", null,
                Set.of("analyst", "manager", "manager-elsewhere"), false));
        rows.add(new Row("GET /api/v1/arbitrage/venues", "GET", "/api/v1/arbitrage/venues?pair=ETH-USDC", null,
                Set.of("analyst", "manager", "manager-elsewhere"), false));
        rows.add(new Row("GET /api/v1/streams/arbitrage", "SSE", "/api/v1/streams/arbitrage", null,
                Set.of("analyst", "manager", "manager-elsewhere"), false));
        rows.add(new Row("POST /a2a", "POST", "/a2a", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\","
                + "\"params\":{\"id\":\"task-none\"}}", Set.of("staff", "staff-elsewhere", "manager", "manager-elsewhere",
                "analyst"), false));
        rows.add(new Row("GET /api/v1/agents", "GET", "/api/v1/agents", null,
                Set.of("staff", "staff-elsewhere", "manager", "manager-elsewhere", "analyst"), false));
        rows.add(new Row("GET /api/v1/agents/contexts/{contextId}", "GET", "/api/v1/agents/contexts/ctx-none", null,
                Set.of("staff", "staff-elsewhere", "manager", "manager-elsewhere", "analyst"), false));
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> everyRouteAnswersEveryCallerAsItsRoleAllows() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : rows()) {
            for (Map.Entry<String, String> caller : callers.entrySet()) {
                tests.add(DynamicTest.dynamicTest(row.route() + " as " + caller.getKey(), () -> {
                    int status = call(row, caller.getValue());
                    if (row.open()) {
                        assertThat(status).isBetween(200, 399); // / redirects to the dashboard
                    } else if (caller.getValue() == null || caller.getKey().equals("forged")) {
                        assertThat(status).isEqualTo(401);
                    } else if (row.allowed().contains(caller.getKey())) {
                        assertThat(status).isIn(OK);
                    } else {
                        assertThat(status).isEqualTo(403);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void theMatrixNamesEveryRouteTheServerAnswers() {
        Set<String> covered = new TreeSet<>();
        rows().forEach(r -> covered.add(r.route().replaceAll(" \\(.*\\)$", "")));
        covered.add("GET /metrics");
        covered.add("POST /webhooks/stripe");
        covered.add("POST /bots/telegram/{botName}");
        covered.add("POST /bots/slack/{appName}");
        covered.add("POST /bots/discord/{appName}");
        assertThat(new TreeSet<>(standalone.endpoints())).isSubsetOf(covered);
    }

    @Test
    void metricsNeedTheScrapeTokenAndTheStripeWebhookItsSignature() throws Exception {
        for (String caller : callers.values()) {
            assertThat(call(new Row("", "GET", "/metrics", null, Set.of(), false), caller)).isEqualTo(401);
            assertThat(call(new Row("", "POST", "/webhooks/stripe", "{\"id\":\"evt_1\",\"type\":\"x\"}", Set.of(), false),
                    caller)).isEqualTo(400);
            assertThat(call(new Row("", "POST", "/bots/telegram/brewbot", "{\"update_id\":1}", Set.of(), false), caller))
                    .as("a bearer token is no webhook secret").isEqualTo(401);
            assertThat(call(new Row("", "POST", "/bots/slack/brewapp", "{\"type\":\"url_verification\",\"challenge\":\"c\"}",
                    Set.of(), false), caller)).as("nor a Slack signature").isEqualTo(401);
            assertThat(call(new Row("", "POST", "/bots/discord/brewapp", "{\"type\":1}", Set.of(), false), caller))
                    .as("nor a Discord signature").isEqualTo(401);
        }
        String scrape = Files.readString(Identity.scrapeTokenFile(dataDir)).trim();
        assertThat(call(new Row("", "GET", "/metrics", null, Set.of(), false), "Bearer " + scrape)).isEqualTo(200);
    }

    private int call(Row row, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(standalone.httpUrl() + row.path()))
                .timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (row.method().equals("POST")) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(row.body()));
        }
        if (row.method().equals("SSE")) {
            // the status line is all that matters; the stream itself stays open until cancelled
            var response = http.sendAsync(request.header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream()).get(20, TimeUnit.SECONDS);
            response.body().close();
            return response.statusCode();
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}

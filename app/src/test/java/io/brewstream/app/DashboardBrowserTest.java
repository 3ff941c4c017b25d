package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import io.brewstream.platform.security.Role;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium: it loads, an order placed through the ingress appears in the
 * barista queue within a few seconds, and a screenshot is saved as a build artifact (target/dashboard.png).
 */
class DashboardBrowserTest {

    @Test
    void anOrderPlacedThroughTheIngressAppearsInTheBaristaQueue(@TempDir Path dataDir) throws Exception {
        Path repoRoot = Path.of("..").toAbsolutePath().normalize();
        try (Standalone standalone = Standalone.start(StandaloneSettingsForTests.onFreePorts(dataDir));
                HeadlessChromium browser = HeadlessChromium.start(repoRoot)) {
            assertThat(standalone.awaitReady(Duration.ofMinutes(2))).isTrue();
            ApiClient api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
            // sign in as the shop's manager, as staff would by pasting the token from their provider
            browser.openDashboard(standalone.httpUrl(), "berlin-mitte", api.token(Role.MANAGER, "berlin-mitte"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "true".equals(browser.evaluate("document.body.dataset.queueLoaded").asText())
                            && "live".equals(browser.status()));
            assertThat(browser.evaluate("document.title").asText()).isEqualTo("brewstream dashboard");

            String orderId = api.placeOrder("""
                    {"shopId":"berlin-mitte","customerId":"cust-42","items":[{"menuItemId":"flat-white","quantity":1,"options":["oat"]}]}""",
                    Map.of());
            long placedAt = System.nanoTime();
            try {
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() ->
                        browser.evaluate("document.querySelector('[data-order=\"" + orderId + "\"]') !== null").asBoolean());
            } catch (ConditionTimeoutException notShown) {
                // say where the order is, so a failure tells the stream apart from the page
                throw new AssertionError("order " + orderId + " not in the barista queue after 5 s; the API says "
                        + api.get("/api/v1/orders/" + orderId).body() + "; the page's status is " + browser.status()
                        + " and its queue shows " + browser.evaluate("document.getElementById('queue-panel').innerText")
                        .asText(), notShown);
            }
            long seenAfterMillis = (System.nanoTime() - placedAt) / 1_000_000;
            assertThat(browser.evaluate("document.getElementById('queue-panel').innerText").asText()).contains("flat-white");

            await().atMost(Duration.ofSeconds(15)).until(() ->
                    browser.evaluate("document.querySelectorAll('#stock tbody tr').length").asInt() > 0);

            // paid, prepared and ready: the ticket moves to READY, and the pickup code, which only the customer sees,
            // is nowhere on the page
            api.post("/api/v1/orders/" + orderId + "/payments", "{\"method\":\"CARD\",\"paymentId\":\"pay-" + orderId
                    + "\",\"amount\":{\"amountMinor\":" + total(api, orderId) + ",\"currency\":\"EUR\"}}", Map.of());
            await().atMost(Duration.ofSeconds(20)).until(() -> "VALIDATED".equals(status(api, orderId)));
            api.post("/api/v1/orders/" + orderId + "/start", "{}", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> "IN_PREPARATION".equals(status(api, orderId)));
            api.post("/api/v1/orders/" + orderId + "/ready", "{}", Map.of());
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> browser.evaluate(
                    "document.querySelector('#q-READY [data-order=\"" + orderId + "\"]') !== null").asBoolean());
            String pickupCode = ApiClient.json(api.get("/api/v1/orders/" + orderId)).get("pickupCode").asText();
            assertThat(pickupCode).hasSize(4);
            assertThat(browser.evaluate("document.body.innerText").asText()).doesNotContain(pickupCode);
            Path screenshot = Path.of("target", "dashboard.png");
            browser.screenshot(screenshot);
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);
            System.out.println("dashboard showed the order " + seenAfterMillis + " ms after it was placed; screenshot "
                    + screenshot.toAbsolutePath());
        }
    }

    private static long total(ApiClient api, String orderId) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> ApiClient.json(api.get("/api/v1/orders/" + orderId))
                .path("total").has("amountMinor"));
        return ApiClient.json(api.get("/api/v1/orders/" + orderId)).get("total").get("amountMinor").asLong();
    }

    private static String status(ApiClient api, String orderId) throws Exception {
        return ApiClient.json(api.get("/api/v1/orders/" + orderId)).path("status").asText();
    }
}

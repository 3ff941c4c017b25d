package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
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
            ApiClient api = new ApiClient(standalone.httpUrl());
            browser.navigate(standalone.httpUrl() + "/dashboard?shop=berlin-mitte");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "true".equals(browser.evaluate("document.body.dataset.queueLoaded").asText())
                            && "live".equals(browser.evaluate("document.getElementById('status').textContent").asText()));
            assertThat(browser.evaluate("document.title").asText()).isEqualTo("brewstream dashboard");

            String orderId = api.placeOrder("""
                    {"shopId":"berlin-mitte","customerId":"cust-42","items":[{"menuItemId":"flat-white","quantity":1,"options":["oat"]}]}""",
                    Map.of());
            long placedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() ->
                    browser.evaluate("document.querySelector('[data-order=\"" + orderId + "\"]') !== null").asBoolean());
            long seenAfterMillis = (System.nanoTime() - placedAt) / 1_000_000;
            assertThat(browser.evaluate("document.getElementById('queue-panel').innerText").asText()).contains("flat-white");

            await().atMost(Duration.ofSeconds(15)).until(() ->
                    browser.evaluate("document.querySelectorAll('#stock tbody tr').length").asInt() > 0);
            Path screenshot = Path.of("target", "dashboard.png");
            browser.screenshot(screenshot);
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);
            System.out.println("dashboard showed the order " + seenAfterMillis + " ms after it was placed; screenshot "
                    + screenshot.toAbsolutePath());
        }
    }
}

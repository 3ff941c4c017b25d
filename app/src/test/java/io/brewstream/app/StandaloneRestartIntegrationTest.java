package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything the standalone keeps survives a restart on the same data directory: orders and schema ids. */
class StandaloneRestartIntegrationTest {
    private static final String ORDER = """
            {"shopId":"hamburg-altona","customerId":"cust-9","items":[{"menuItemId":"flat-white","quantity":1}]}""";

    @Test
    void ordersAndSchemaIdsSurviveARestart(@TempDir Path dataDir) throws Exception {
        StandaloneSettings settings = StandaloneSettingsForTests.onFreePorts(dataDir);
        String orderId;
        String schemas;
        try (Standalone first = Standalone.start(settings)) {
            assertThat(first.awaitReady(Duration.ofMinutes(2))).isTrue();
            ApiClient api = new ApiClient(first.httpUrl(), first.developmentIssuer().orElseThrow());
            orderId = api.placeOrder(ORDER, Map.of());
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/orders/" + orderId).statusCode() == 200);
            schemas = api.get(first.registry().confluentApiUrl() + "/schemas/ids/1").body();
            settings = settings.withPorts(port(first.httpUrl()), port("http://" + first.bootstrapServers()), 0,
                    port(first.registry().baseUrl()), first.database().port());
        }

        try (Standalone second = Standalone.start(settings)) {
            assertThat(second.awaitReady(Duration.ofMinutes(2))).isTrue();
            ApiClient api = new ApiClient(second.httpUrl(), second.developmentIssuer().orElseThrow());
            var order = api.get("/api/v1/orders/" + orderId);
            assertThat(order.statusCode()).isEqualTo(200);
            assertThat(ApiClient.json(order).get("customerId").asText()).isEqualTo("cust-9");
            assertThat(api.get(second.registry().confluentApiUrl() + "/schemas/ids/1").body()).isEqualTo(schemas);
            assertThat(api.placeOrder(ORDER, Map.of())).isNotEqualTo(orderId);
        }
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }
}

package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brewstream.platform.config.Env;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.topologies.orders.OrdersSettings;

class TopologyCatalogTest {

    @Test
    void orderSettingsComeFromTheEnvironment() {
        OrdersSettings settings = TopologyCatalog.ordersSettings(new Env(Map.of(
                "BREWSTREAM_ORDER_REQUIRED_CHECKS", "pricing, inventory, fraud, payment",
                "BREWSTREAM_ORDER_VALIDATION_TIMEOUT", "5m",
                "BREWSTREAM_ORDER_CLAIM_TIMEOUT", "PT1H",
                "BREWSTREAM_ORDER_MAX_FAILED_CLAIMS", "3")));

        assertThat(settings.requiredChecks())
                .containsExactly(CheckType.PRICING, CheckType.INVENTORY, CheckType.FRAUD, CheckType.PAYMENT);
        assertThat(settings.validationTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.claimTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.maxFailedClaims()).isEqualTo(3);
    }

    @Test
    void theDefaultsNeedNoEnvironment() {
        assertThat(TopologyCatalog.ordersSettings(new Env(Map.of()))).isEqualTo(OrdersSettings.defaults());
        assertThat(TopologyCatalog.select(List.of("all"), new Env(Map.of())))
                .extracting(t -> t.name()).containsExactly("orders", "pricing", "inventory");
    }

    @Test
    void anUnknownTopologyIsNamedInTheError() {
        assertThatThrownBy(() -> TopologyCatalog.select(List.of("orders", "espresso-machine"), new Env(Map.of())))
                .hasMessageContaining("espresso-machine").hasMessageContaining("orders, pricing, inventory");
    }
}

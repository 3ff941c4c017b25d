package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brewstream.platform.config.Env;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.topologies.fraud.FraudSettings;
import io.brewstream.topologies.orders.OrdersSettings;
import io.brewstream.topologies.orders.OrdersTopology;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.pricing.PricingSettings;

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
    void pricingSettingsComeFromTheEnvironment() {
        PricingSettings settings = TopologyCatalog.pricingSettings(new Env(Map.of(
                "BREWSTREAM_PRICING_STRATEGY", "demand",
                "BREWSTREAM_PRICING_MAX_STEP_PERCENT", "10",
                "BREWSTREAM_PRICING_MIN_INTERVAL", "2m",
                "BREWSTREAM_PRICING_HAPPY_HOURS", "15:00-17:00@20, 22:00-01:00@10")));

        assertThat(settings.strategy()).isEqualTo(PricingSettings.Strategy.DEMAND);
        assertThat(settings.maxStepBasisPoints()).isEqualTo(1_000);
        assertThat(settings.minInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.happyHours()).containsExactly(
                new PricingSettings.HappyHour(LocalTime.of(15, 0), LocalTime.of(17, 0), 2_000),
                new PricingSettings.HappyHour(LocalTime.of(22, 0), LocalTime.of(1, 0), 1_000));
        assertThat(TopologyCatalog.pricingSettings(new Env(Map.of()))).isEqualTo(PricingSettings.defaults());
    }

    @Test
    void fraudWeightsComeFromTheEnvironmentAndUnknownRulesAreNamed() {
        FraudSettings settings = TopologyCatalog.fraudSettings(new Env(Map.of(
                "BREWSTREAM_FRAUD_WEIGHTS", "new-account=0.2, deny-list=0.9", "BREWSTREAM_FRAUD_REJECT_FROM", "0.7")));
        assertThat(settings.weights()).containsEntry("new-account", 0.2).containsEntry("deny-list", 0.9);
        assertThat(settings.rejectFrom()).isEqualTo(0.7);
        assertThatThrownBy(() -> TopologyCatalog.fraudSettings(new Env(Map.of("BREWSTREAM_FRAUD_WEIGHTS", "moon-phase=1"))))
                .hasMessageContaining("moon-phase");
    }

    @Test
    void theDefaultsNeedNoEnvironment() {
        assertThat(TopologyCatalog.ordersSettings(new Env(Map.of()))).isEqualTo(OrdersSettings.defaults());
        assertThat(TopologyCatalog.select(List.of("all"), new Env(Map.of())))
                .extracting(t -> t.name()).containsExactly("orders", "pricing", "analytics", "backoffice",
                        "bots", "payments", "arbitrage", "agents");
        assertThat(TopologyCatalog.fraudSettings(new Env(Map.of()))).isEqualTo(FraudSettings.defaults());
    }

    @Test
    void fraudIsScoredInTheOrdersTaskUnlessStrictModeRunsTheFraudTopology() {
        List<DomainTopology> inTask = TopologyCatalog.select(List.of("orders", "fraud"), new Env(Map.of()));
        assertThat(inTask).extracting(DomainTopology::name).containsExactly("orders");
        assertThat(((OrdersTopology) inTask.get(0)).scoresFraud()).isTrue();

        List<DomainTopology> strict = TopologyCatalog.select(List.of("orders", "fraud"),
                new Env(Map.of("BREWSTREAM_FRAUD_MODE", "strict")));
        assertThat(strict).extracting(DomainTopology::name).containsExactly("orders", "fraud");
        assertThat(((OrdersTopology) strict.get(0)).scoresFraud()).isFalse();
        assertThatThrownBy(() -> TopologyCatalog.select(List.of("orders"), new Env(Map.of("BREWSTREAM_FRAUD_MODE", "later"))))
                .hasMessageContaining("BREWSTREAM_FRAUD_MODE").hasMessageContaining("later");
    }

    @Test
    void anUnknownTopologyIsNamedInTheError() {
        assertThatThrownBy(() -> TopologyCatalog.select(List.of("orders", "espresso-machine"), new Env(Map.of())))
                .hasMessageContaining("espresso-machine").hasMessageContaining("orders, pricing, fraud, analytics");
    }

    @Test
    void chainSettingsReadTokensKeysAndRatesAndRefuseAPrivateKeyAtStart() {
        ChainSettings settings = ChainSettings.of(new Env(Map.of(
                "BREWSTREAM_CHAIN_TOKENS", "usdc=0x5FbDB2315678afecb367f032d93F642f64180aa3:6",
                "BREWSTREAM_CHAIN_DEFAULT_XPUB", Standalone.DEMO_XPUB,
                "BREWSTREAM_CHAIN_FIXED_RATES", "ETH/EUR=3000.00")));
        assertThat(settings.invoices().assets()).containsKeys("ETH", "USDC");
        assertThat(settings.invoices().assets().get("USDC").tokenContract()).contains("0x5fbdb2315678afecb367f032d93f642f64180aa3");
        assertThat(settings.fixedRates()).singleElement().satisfies(r -> assertThat(r.getPrice()).isEqualTo("3000.00"));
        assertThat(settings.watcher()).as("no node configured: no watcher").isEmpty();
        assertThatThrownBy(() -> ChainSettings.of(new Env(Map.of("BREWSTREAM_CHAIN_SHOP_XPUBS",
                "berlin-mitte=xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi"))))
                .hasMessageContaining("BREWSTREAM_CHAIN_SHOP_XPUBS (berlin-mitte)");
        assertThatThrownBy(() -> ChainSettings.of(new Env(Map.of("BREWSTREAM_CHAIN_TOKENS", "USDC=0x12:6"))))
                .hasMessageContaining("SYMBOL=0xcontract:decimals");
    }
}

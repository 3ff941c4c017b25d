package io.brewstream.app;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.brewstream.connectors.chain.ChainWatcher;
import io.brewstream.platform.config.Env;
import io.brewstream.schemas.payments.ExchangeRate;
import io.brewstream.topologies.payments.DepositAddresses;
import io.brewstream.topologies.payments.InvoiceRules;
import io.brewstream.topologies.payments.InvoiceSettings;

/**
 * Crypto payments' settings, read once from the environment:
 * <ul>
 * <li>{@code BREWSTREAM_CHAIN_RPC_URL}: the node's JSON-RPC URL; set, the chain watcher runs in this process.</li>
 * <li>{@code BREWSTREAM_CHAIN_ID} (31337, anvil's), {@code BREWSTREAM_CHAIN_CONFIRMATIONS} (3).</li>
 * <li>{@code BREWSTREAM_CHAIN_TOKENS}: {@code SYMBOL=0xcontract:decimals,...}, the ERC-20 tokens taken.</li>
 * <li>{@code BREWSTREAM_CHAIN_SHOP_XPUBS}: {@code shopId=xpub...,...}, each shop's watch-only account key
 * (m/44'/60'/0'); {@code BREWSTREAM_CHAIN_DEFAULT_XPUB}: the key of shops not listed.</li>
 * <li>{@code BREWSTREAM_CHAIN_FIXED_RATES}: {@code ETH/EUR=3000.00,...}, published as rates that do not age (the
 * demo's; live quotes come from the rates topic).</li>
 * <li>{@code BREWSTREAM_INVOICE_VALID_FOR} (15m), {@code BREWSTREAM_INVOICE_MONITOR_FOR} (24h),
 * {@code BREWSTREAM_INVOICE_TOLERANCE_BPS} (50), {@code BREWSTREAM_INVOICE_MAX_RATE_AGE} (10m).</li>
 * </ul>
 */
record ChainSettings(Optional<String> rpcUrl, long chainId, int confirmations, List<ChainWatcher.Token> tokens,
        Map<String, String> shopXpubs, Optional<String> defaultXpub, List<ExchangeRate> fixedRates,
        Duration validFor, Duration monitorFor, int toleranceBasisPoints, Duration maxRateAge) {

    static ChainSettings of(Env env) {
        List<ChainWatcher.Token> tokens = new ArrayList<>();
        for (String entry : env.string("BREWSTREAM_CHAIN_TOKENS", "").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split("[=:]");
            if (parts.length != 3 || !parts[1].matches("0x[0-9a-fA-F]{40}") || !parts[2].matches("\\d{1,2}")) {
                throw new IllegalArgumentException("BREWSTREAM_CHAIN_TOKENS: '" + entry + "' is not SYMBOL=0xcontract:decimals");
            }
            tokens.add(new ChainWatcher.Token(parts[0].toUpperCase(Locale.ROOT), parts[1], Integer.parseInt(parts[2])));
        }
        Map<String, String> xpubs = new LinkedHashMap<>();
        for (String entry : env.string("BREWSTREAM_CHAIN_SHOP_XPUBS", "").split(",")) {
            if (!entry.isBlank()) {
                String[] parts = entry.trim().split("=", 2);
                if (parts.length != 2) {
                    throw new IllegalArgumentException("BREWSTREAM_CHAIN_SHOP_XPUBS: '" + entry + "' is not shopId=xpub...");
                }
                xpubs.put(parts[0], parts[1]);
            }
        }
        List<ExchangeRate> rates = new ArrayList<>();
        for (String entry : env.string("BREWSTREAM_CHAIN_FIXED_RATES", "").split(",")) {
            if (!entry.isBlank()) {
                String[] parts = entry.trim().split("[/=]");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("BREWSTREAM_CHAIN_FIXED_RATES: '" + entry + "' is not ASSET/CURRENCY=price");
                }
                new BigDecimal(parts[2]); // an exact decimal, or a clear NumberFormatException
                rates.add(ExchangeRate.newBuilder().setAsset(parts[0].toUpperCase(Locale.ROOT))
                        .setCurrency(parts[1].toUpperCase(Locale.ROOT)).setPrice(parts[2]).setSource(InvoiceRules.FIXED)
                        .setAt(Instant.now()).build());
            }
        }
        // every key checked now, at start: an xprv or a typo is a clear error here, not a failing stream thread later
        xpubs.forEach((shop, xpub) -> check("BREWSTREAM_CHAIN_SHOP_XPUBS (" + shop + ")", xpub));
        env.optional("BREWSTREAM_CHAIN_DEFAULT_XPUB").ifPresent(xpub -> check("BREWSTREAM_CHAIN_DEFAULT_XPUB", xpub));
        return new ChainSettings(env.optional("BREWSTREAM_CHAIN_RPC_URL"),
                Long.parseLong(env.string("BREWSTREAM_CHAIN_ID", "31337")),
                env.integer("BREWSTREAM_CHAIN_CONFIRMATIONS", 3), tokens, xpubs,
                env.optional("BREWSTREAM_CHAIN_DEFAULT_XPUB"), rates,
                env.duration("BREWSTREAM_INVOICE_VALID_FOR", Duration.ofMinutes(15)),
                env.duration("BREWSTREAM_INVOICE_MONITOR_FOR", Duration.ofHours(24)),
                env.integer("BREWSTREAM_INVOICE_TOLERANCE_BPS", 50),
                env.duration("BREWSTREAM_INVOICE_MAX_RATE_AGE", Duration.ofMinutes(10)));
    }

    private static void check(String setting, String xpub) {
        try {
            new DepositAddresses(xpub);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
        }
    }

    InvoiceSettings invoices() {
        Map<String, InvoiceSettings.Asset> assets = new LinkedHashMap<>();
        assets.put("ETH", InvoiceSettings.Asset.ether());
        tokens.forEach(t -> assets.put(t.symbol(), new InvoiceSettings.Asset(t.symbol(), t.decimals(),
                Optional.of(t.contract()))));
        return new InvoiceSettings(chainId, assets, shopXpubs, defaultXpub, validFor, monitorFor, toleranceBasisPoints,
                maxRateAge);
    }

    Optional<ChainWatcher.Settings> watcher() {
        return rpcUrl.map(url -> ChainWatcher.Settings.of(url, chainId, confirmations, tokens));
    }
}

package io.brewstream.topologies.payments;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How crypto invoices are made and kept.
 *
 * @param chainId        the chain invoices are paid on
 * @param assets         what may be asked for: ETH (native, 18 decimals) and the configured tokens, by symbol
 * @param shopXpubs      each shop's watch-only account key (m/44'/60'/0'), by shop id
 * @param defaultXpub    the key of shops not listed, if any (the demo chain's)
 * @param validFor       how long an invoice may be paid (15 minutes)
 * @param monitorFor     how long after that payments are still watched for (24 hours)
 * @param toleranceBasisPoints how much less than due still settles, for an exchange's withdrawal fee
 * @param maxRateAge     a rate older than this prices no invoice
 */
public record InvoiceSettings(long chainId, Map<String, Asset> assets, Map<String, String> shopXpubs,
        Optional<String> defaultXpub, Duration validFor, Duration monitorFor, int toleranceBasisPoints,
        Duration maxRateAge) {

    /** An asset invoices can be paid in: its symbol, decimals, and token contract (none for ETH). */
    public record Asset(String symbol, int decimals, Optional<String> tokenContract) {
        public static Asset ether() {
            return new Asset("ETH", 18, Optional.empty());
        }
    }

    public Optional<String> xpubOf(String shopId) {
        return Optional.ofNullable(shopXpubs.get(shopId)).or(() -> defaultXpub);
    }
}

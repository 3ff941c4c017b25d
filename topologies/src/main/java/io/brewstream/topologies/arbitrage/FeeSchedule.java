package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.FeeTier;
import io.brewstream.schemas.arbitrage.WithdrawalFee;

/** Which taker fee a venue charges at the chain's volume there, and which withdrawal route a transfer takes. Pure. */
public final class FeeSchedule {
    private FeeSchedule() {
    }

    /**
     * The fee of the highest tier whose minimum volume the chain's 30-day volume reaches; the flat fee when the
     * venue lists no tiers (or the volume is below every tier's minimum).
     */
    public static int takerFeeBasisPoints(ExchangeFees fees) {
        BigDecimal volume = fees.getVolume30d() == null ? BigDecimal.ZERO : fees.getVolume30d();
        return fees.getTakerFeeTiers().stream()
                .filter(tier -> tier.getMinVolume().compareTo(volume) <= 0)
                .max(Comparator.comparing(FeeTier::getMinVolume))
                .map(FeeTier::getTakerFeeBasisPoints)
                .orElse(fees.getTakerFeeBasisPoints());
    }

    /** Which route moves an asset off a venue: the cheapest open one fast enough, or none. */
    public sealed interface Route {
        /** The venue lists no withdrawal of the asset: its flat transfer cost is the whole cost. */
        record FlatCostOnly() implements Route {
        }

        /** This network, at this fee in the asset. */
        record Network(WithdrawalFee fee) implements Route {
        }

        /** Every listed network is closed or slower than allowed: no transfer, no opportunity. */
        record NoRoute() implements Route {
        }
    }

    /** The cheapest enabled network at most {@code maxTransfer} slow (ties: the faster, then by name). */
    public static Route route(List<WithdrawalFee> listed, Duration maxTransfer) {
        if (listed.isEmpty()) {
            return new Route.FlatCostOnly();
        }
        Optional<WithdrawalFee> best = listed.stream()
                .filter(WithdrawalFee::getEnabled)
                .filter(w -> w.getTransferSeconds() <= maxTransfer.toSeconds())
                .min(Comparator.comparing(WithdrawalFee::getFee).thenComparingInt(WithdrawalFee::getTransferSeconds)
                        .thenComparing(WithdrawalFee::getNetwork));
        return best.<Route>map(Route.Network::new).orElseGet(Route.NoRoute::new);
    }

    static String base(String pair) {
        int dash = pair.indexOf('-');
        if (dash <= 0 || dash == pair.length() - 1) {
            throw new IllegalArgumentException("a pair is BASE-QUOTE, not " + pair);
        }
        return pair.substring(0, dash);
    }

    static String quote(String pair) {
        return pair.substring(base(pair).length() + 1);
    }
}

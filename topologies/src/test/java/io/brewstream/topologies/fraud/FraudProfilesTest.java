package io.brewstream.topologies.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.brewstream.schemas.fraud.CustomerRisk;
import io.brewstream.schemas.fraud.FraudActivityEntry;
import io.brewstream.schemas.fraud.FraudDecision;
import io.brewstream.schemas.fraud.FraudLevel;
import io.brewstream.schemas.fraud.FraudScore;

/** A customer's profile as the sum of its partitions' shares. Pure: no broker, no registry. */
class FraudProfilesTest {
    private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void theProfileIsTheSumOfTheShares() {
        CustomerRisk first = CustomerRisk.newBuilder().setCustomerId("c").setRecent(List.of(entry("o-1", T0), entry("o-3", T0.plusSeconds(20))))
                .setAmountCount(2).setAmountSumMinor(900).setAmountSumOfSquares(405_000).setChargebacks(1)
                .setScoredOrders(2).setScoreMean(0.1).setLastScore(score("o-3", 0.2, T0.plusSeconds(20)))
                .setUnpaidOrderIds(List.of("o-3")).setUpdatedAt(T0.plusSeconds(20)).build();
        CustomerRisk second = CustomerRisk.newBuilder().setCustomerId("c").setRecent(List.of(entry("o-2", T0.plusSeconds(10))))
                .setAmountCount(1).setAmountSumMinor(500).setAmountSumOfSquares(250_000).setScoredOrders(1).setScoreMean(0.4)
                .setLastScore(score("o-2", 0.4, T0.plusSeconds(10))).setUnpaidOrderIds(List.of("o-2"))
                .setUpdatedAt(T0.plusSeconds(10)).build();

        CustomerRisk sum = FraudProfiles.sum("c", List.of(first, second));

        assertThat(sum.getRecent()).extracting(FraudActivityEntry::getOrderId).containsExactly("o-1", "o-2", "o-3");
        assertThat(sum.getAmountCount()).isEqualTo(3);
        assertThat(sum.getAmountSumMinor()).isEqualTo(1_400);
        assertThat(sum.getAmountSumOfSquares()).isEqualTo(655_000);
        assertThat(sum.getChargebacks()).isEqualTo(1);
        assertThat(sum.getScoredOrders()).isEqualTo(3);
        assertThat(sum.getScoreMean()).as("weighted by the orders each share scored").isCloseTo((0.1 * 2 + 0.4) / 3, within(1e-12));
        assertThat(sum.getLastScore().getOrderId()).isEqualTo("o-3");
        assertThat(sum.getUnpaidOrderIds()).containsExactlyInAnyOrder("o-2", "o-3");
        assertThat(sum.getUpdatedAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void anOrderInTwoSharesCountsOnceAndNoSharesMakeAnEmptyProfile() {
        CustomerRisk a = CustomerRisk.newBuilder().setCustomerId("c").setRecent(List.of(entry("o-1", T0))).build();
        assertThat(FraudProfiles.sum("c", List.of(a, a)).getRecent()).hasSize(1);
        CustomerRisk none = FraudProfiles.sum("c", List.of());
        assertThat(none.getAmountCount()).isZero();
        assertThat(none.getScoreMean()).isZero();
    }

    private static FraudActivityEntry entry(String orderId, Instant at) {
        return FraudActivityEntry.newBuilder().setOrderId(orderId).setCustomerId("c").setAt(at).build();
    }

    private static FraudScore score(String orderId, double value, Instant at) {
        return FraudScore.newBuilder().setOrderId(orderId).setCustomerId("c").setShopId("s").setScore(value)
                .setLevel(FraudLevel.LOW).setDecision(FraudDecision.APPROVE).setReasons(List.of()).setScoredAt(at).build();
    }
}

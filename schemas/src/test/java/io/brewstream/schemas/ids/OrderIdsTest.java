package io.brewstream.schemas.ids;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrderIdsTest {
    @Test
    void anIdCarriesItsShopAndIsBoundToItsCustomer() {
        String id = OrderIds.forRequest("berlin-mitte", "cust-42", null);

        OrderIds.Parsed parsed = OrderIds.parse(id).orElseThrow();
        assertThat(parsed.shopId()).isEqualTo("berlin-mitte");
        assertThat(parsed.placedBy("cust-42")).isTrue();
        assertThat(parsed.placedBy("cust-43")).isFalse();
        assertThat(id.length()).isLessThanOrEqualTo(OrderIds.MAX_LENGTH);
    }

    @Test
    void theSameIdempotencyKeyFromTheSameCustomerNamesTheSameOrder() {
        assertThat(OrderIds.forRequest("s", "c", "k")).isEqualTo(OrderIds.forRequest("s", "c", "k"));
        assertThat(OrderIds.forRequest("s", "c", "k")).isNotEqualTo(OrderIds.forRequest("s", "d", "k"));
        assertThat(OrderIds.forRequest("s", "c", null)).isNotEqualTo(OrderIds.forRequest("s", "c", null));
    }

    @Test
    void shopIdsWithColonsAndDotsParseFromTheRight() {
        String id = OrderIds.forRequest("eu:berlin.mitte", "c", "k");

        assertThat(OrderIds.parse(id).orElseThrow().shopId()).isEqualTo("eu:berlin.mitte");
    }

    @Test
    void anythingElseIsNoOrderId() {
        assertThat(OrderIds.parse("order-1")).isEmpty();
        assertThat(OrderIds.parse("s:" + "0".repeat(47))).isEmpty();
        assertThat(OrderIds.parse("s:" + "G".repeat(48))).isEmpty();
        assertThat(OrderIds.parse(null)).isEmpty();
        assertThat(OrderIds.parse("x".repeat(200))).isEmpty();
    }
}

package io.brewstream.topologies.orders;

import java.util.List;

import io.brewstream.schemas.orders.CheckType;

/**
 * Business settings of the orders topology.
 *
 * @param requiredChecks checks whose passing results an order needs to be validated
 * @param maxFailedClaims wrong pickup codes after which claiming is locked
 */
public record OrdersSettings(List<CheckType> requiredChecks, int maxFailedClaims) {
    public static OrdersSettings defaults() {
        return new OrdersSettings(List.of(CheckType.PRICING, CheckType.INVENTORY, CheckType.PAYMENT), 5);
    }
}

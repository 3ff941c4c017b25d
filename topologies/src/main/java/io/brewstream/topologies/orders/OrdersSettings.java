package io.brewstream.topologies.orders;

import java.time.Duration;
import java.util.List;

import io.brewstream.schemas.orders.CheckType;

/**
 * Business settings of the orders topology.
 *
 * @param requiredChecks     checks whose passing results an order needs to be validated (by default all four);
 *                           PRICING and INVENTORY are made in the step that places the order, FRAUD too when fraud
 *                           is scored in the task (else the fraud topology posts it), PAYMENT passes when the
 *                           payments cover the priced total
 * @param maxFailedClaims    wrong pickup codes after which claiming is locked
 * @param validationTimeout  a PLACED order not validated within this expires
 * @param claimTimeout       a READY order not claimed within this is flagged
 * @param maxPaymentsPerOrder payments an order counts at most; later ones are refunded (a cap on what one order
 *                           can make the system record and refund)
 * @param closedRetention    a closed order (picked up, cancelled, rejected, expired) stays readable this long after
 *                           its last change, then it is deleted from the store (its events stay on their topic)
 */
public record OrdersSettings(List<CheckType> requiredChecks, int maxFailedClaims, Duration validationTimeout,
        Duration claimTimeout, int maxPaymentsPerOrder, Duration closedRetention) {

    public OrdersSettings {
        requiredChecks = List.copyOf(requiredChecks);
        if (requiredChecks.contains(CheckType.PAYMENT) && !requiredChecks.contains(CheckType.PRICING)) {
            throw new IllegalArgumentException("the PAYMENT check needs the PRICING check for the total to pay");
        }
    }

    public static OrdersSettings defaults() {
        return new OrdersSettings(List.of(CheckType.PRICING, CheckType.INVENTORY, CheckType.FRAUD, CheckType.PAYMENT), 5,
                Duration.ofMinutes(15), Duration.ofMinutes(30), 10, Duration.ofDays(7));
    }

    public OrdersSettings withRequiredChecks(List<CheckType> checks) {
        return new OrdersSettings(checks, maxFailedClaims, validationTimeout, claimTimeout, maxPaymentsPerOrder,
                closedRetention);
    }

    public OrdersSettings withTimeouts(Duration validation, Duration claim) {
        return new OrdersSettings(requiredChecks, maxFailedClaims, validation, claim, maxPaymentsPerOrder,
                closedRetention);
    }

    public OrdersSettings withClosedRetention(Duration retention) {
        return new OrdersSettings(requiredChecks, maxFailedClaims, validationTimeout, claimTimeout, maxPaymentsPerOrder,
                retention);
    }
}

package io.brewstream.topologies.fraud;

import java.util.List;

import io.brewstream.schemas.fraud.FraudReason;
import io.brewstream.schemas.fraud.FraudSignal;
import io.brewstream.schemas.fraud.FraudSource;
import io.brewstream.schemas.orders.Order;

/** Builds fraud signals. */
final class FraudSignals {
    private FraudSignals() {
    }

    static FraudSignal of(Order order, FraudSource source, List<FraudReason> reasons) {
        return FraudSignal.newBuilder().setOrderId(order.getOrderId()).setCustomerId(order.getCustomerId())
                .setShopId(order.getShopId()).setSource(source).setReasons(reasons).setObservedAt(order.getPlacedAt())
                .build();
    }
}

package io.brewstream.topologies.pricing;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DomainTopology;

/**
 * Pricing: prices every newly placed order server-side from the current price table (the latest price change
 * per shop and item, else the menu's base price) and posts the PRICING check result.
 */
public final class PricingTopology implements DomainTopology {

    @Override
    public String name() {
        return "pricing";
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        ReferenceTables.addShops(builder, serdes);
        ReferenceTables.addMenuItems(builder, serdes);
        ReferenceTables.addCurrentPrices(builder, serdes);

        builder.stream(Topics.ORDER_EVENTS.name(),
                        Consumed.with(Topics.ORDER_EVENTS.keySerde(), Topics.ORDER_EVENTS.valueSerde(serdes))
                                .withName("read-order-events"))
                .filter((orderId, event) -> event.getKind() == OrderEventKind.TRANSITION && event.getFromStatus() == null
                        && event.getToStatus() == OrderStatus.PLACED, Named.as("newly-placed"))
                .processValues(OrderPricer::new, Named.as("price-order"))
                .to(Topics.ORDER_VALIDATIONS.name(), Produced.with(Topics.ORDER_VALIDATIONS.keySerde(),
                        Topics.ORDER_VALIDATIONS.valueSerde(serdes)).withName("write-pricing-result"));
    }
}

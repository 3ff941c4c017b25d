package io.brewstream.topologies.payments;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.payments.Invoice;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.TypedStreams;

/**
 * Crypto invoices: requests priced from the order, deposit addresses from the shop's xpub, payments from the chain
 * watcher, settlement into the order's payments.
 *
 * <p>A request is keyed by order id and meets the order's state there, which says what it owes (never the
 * client). Then everything of a shop meets in the shop's task: its next address index lives there, so two invoices
 * never share an address, and the watcher's payments, keyed by shop, arrive in the same task as their invoices.
 */
public final class InvoicesTopology implements DomainTopology {
    /** How long a request waits for its order to be priced (the order API may show a total a moment earlier). */
    static final java.time.Duration PRICING_WAIT = java.time.Duration.ofSeconds(30);
    private final InvoiceSettings settings;

    public InvoicesTopology(InvoiceSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "payments";
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        ReferenceTables.addExchangeRates(builder, serdes);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(InvoiceStores.INVOICES),
                Serdes.String(), Topics.INVOICES.valueSerde(serdes)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(InvoiceStores.ADDRESS_INDEX),
                Serdes.String(), Serdes.Integer()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(InvoiceStores.EXPIRIES),
                Serdes.String(), Serdes.String()));

        // a request meets its order: what it owes, or why it cannot be paid in crypto (waiting a moment for an
        // order not yet priced), then goes to the shop's task, where its address index and its payments are
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(InvoiceStores.ORDERS),
                Serdes.String(), serdes.valueSerde(Order.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(InvoiceStores.PENDING),
                Serdes.String(), Topics.INVOICE_REQUESTS.valueSerde(serdes)));
        KStream<String, SpecificRecord> requests = TypedStreams.read(builder, serdes, Topics.INVOICE_REQUESTS)
                .merge(orderStates(builder, serdes), Named.as("with-order-states"))
                .process(() -> new InvoicePricer(PRICING_WAIT), Named.as("priced-by-order"), InvoiceStores.ORDERS,
                        InvoiceStores.PENDING)
                .selectKey((orderId, request) -> request.getShopId(), Named.as("by-shop"))
                .repartition(Repartitioned.with(Serdes.String(), Topics.INVOICE_REQUESTS.valueSerde(serdes))
                        .withName("invoice-requests-by-shop").withNumberOfPartitions(Topics.ORDER_PARTITIONS))
                .mapValues(request -> (SpecificRecord) request, Named.as("as-input-requests"));

        // the shop's invoices, with the watcher's payments (keyed by shop too)
        KStream<String, SpecificRecord> outputs = requests
                .merge(TypedStreams.read(builder, serdes, Topics.CHAIN_PAYMENTS), Named.as("with-chain-payments"))
                .process(() -> new InvoiceKeeper(settings), Named.as("keep-invoices"), InvoiceStores.INVOICES,
                        InvoiceStores.ADDRESS_INDEX, InvoiceStores.EXPIRIES);
        TypedStreams.write(outputs, serdes, Topics.INVOICES, Invoice.class);
        TypedStreams.write(outputs, serdes, Topics.PAYMENTS, PaymentReceived.class);
        TypedStreams.write(outputs, serdes, Topics.ORDER_COMMANDS, OrderCommand.class);
    }

    /** Each order as it is after each of its events (the order events carry it whole). */
    private static KStream<String, SpecificRecord> orderStates(StreamsBuilder builder, AvroSerdes serdes) {
        return builder.stream(Topics.ORDER_EVENTS.name(), Consumed.with(Topics.ORDER_EVENTS.keySerde(),
                        Topics.ORDER_EVENTS.valueSerde(serdes)).withName("read-order-events"))
                .filter((orderId, event) -> event != null && event.getOrder() != null, Named.as("events-with-an-order"))
                .mapValues(event -> (SpecificRecord) event.getOrder(), Named.as("order-after-event"));
    }
}

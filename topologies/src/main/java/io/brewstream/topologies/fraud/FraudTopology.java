package io.brewstream.topologies.fraud;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.fraud.CustomerRisk;
import io.brewstream.schemas.fraud.FraudActivity;
import io.brewstream.schemas.fraud.FraudCase;
import io.brewstream.schemas.fraud.FraudLevel;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.fraud.FraudSignal;
import io.brewstream.schemas.fraud.FraudSource;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.TypedStreams;

/**
 * Fraud: every priced order awaiting its FRAUD check is looked at from three sides, each re-keyed so its
 * history is in one task: its customer, its device and its IP. Their signals meet again by order id, with the
 * first payment's deny-list check; the order is scored, the FRAUD result posted, high and critical scores
 * alerted.
 */
public final class FraudTopology implements DomainTopology {
    /** Partitions of the by-customer, by-device and by-IP repartition topics. */
    static final int DIMENSION_PARTITIONS = 6;
    private final FraudSettings settings;

    public FraudTopology(FraudSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "fraud";
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        ReferenceTables.addCustomers(builder, serdes);
        ReferenceTables.addDenyList(builder, serdes);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.CUSTOMER_RISK),
                Serdes.String(), serdes.valueSerde(CustomerRisk.class)).withCachingEnabled());
        Serde<FraudActivity> activitySerde = serdes.valueSerde(FraudActivity.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.DEVICE_ACTIVITY),
                Serdes.String(), activitySerde).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.IP_ACTIVITY),
                Serdes.String(), activitySerde).withCachingEnabled());
        // cases are kept a day by stream time: a window store drops old ones a segment at a time, with no scan
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(FraudStores.CASES,
                CaseGatherer.CASE_RETENTION, Duration.ofMillis(1), false), Serdes.String(),
                serdes.valueSerde(FraudCase.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.RECENT_ALERTS),
                Serdes.String(), Topics.FRAUD_ALERTS.valueSerde(serdes)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.LET_INTO_SCORING),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        Serde<OrderEvent> eventSerde = Topics.ORDER_EVENTS.valueSerde(serdes);

        KStream<String, OrderEvent> orderEvents = builder
                .stream(Topics.ORDER_EVENTS.name(), Consumed.with(Topics.ORDER_EVENTS.keySerde(), eventSerde)
                        .withName("read-order-events"));
        KStream<String, OrderEvent> toScore = orderEvents
                .processValues(ScoringIntake::new, Named.as("let-into-scoring-once"), FraudStores.LET_INTO_SCORING);

        // a customer's orders waiting for payment, counted by customer: one over the limit fails at once. Only
        // new orders and orders leaving PLACED cross this repartition, two records per order.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FraudStores.UNPAID_ORDERS),
                Serdes.String(), Serdes.String()).withCachingEnabled());
        KStream<String, ValidationResult> overLimit = orderEvents
                .filter((orderId, event) -> event != null && UnpaidOrdersLimit.matters(event),
                        Named.as("placed-or-leaving-placed"))
                .selectKey((orderId, event) -> event.getOrder().getCustomerId(), Named.as("unpaid-by-customer"))
                .repartition(byDimension(eventSerde, "unpaid-orders-by-customer"))
                .process(() -> new UnpaidOrdersLimit(settings.maxUnpaidOrders()), Named.as("limit-unpaid-orders"),
                        FraudStores.UNPAID_ORDERS);
        overLimit.to(Topics.ORDER_VALIDATIONS.name(), TypedStreams.produced(Topics.ORDER_VALIDATIONS, serdes, "write-unpaid-limit-results"));

        // the order's sides meet again by order id, with its payments
        KStream<String, SpecificRecord> outcomes = TypedStreams.read(builder, serdes, Topics.FRAUD_SIGNALS)
                .merge(TypedStreams.read(builder, serdes, Topics.PAYMENTS), Named.as("signals-and-payments"))
                .process(() -> new CaseGatherer(settings), Named.as("score-order"), FraudStores.CASES,
                        FraudStores.RECENT_ALERTS);
        TypedStreams.write(outcomes, serdes, Topics.ORDER_VALIDATIONS, ValidationResult.class);
        TypedStreams.write(outcomes, serdes, Topics.FRAUD_SCORES, FraudScore.class);
        KStream<String, FraudScore> scores = outcomes
                .filter((orderId, value) -> value instanceof FraudScore, Named.as("scores"))
                .mapValues(value -> (FraudScore) value, Named.as("as-score"));
        scores.filter((orderId, score) -> score.getLevel() == FraudLevel.HIGH || score.getLevel() == FraudLevel.CRITICAL,
                        Named.as("high-and-critical"))
                .to(Topics.FRAUD_ALERTS.name(), TypedStreams.produced(Topics.FRAUD_ALERTS, serdes, "write-fraud-alerts"));

        // the customer's side, with its chargebacks and its past scores
        KStream<String, SpecificRecord> orders = toScore
                .selectKey((orderId, event) -> event.getOrder().getCustomerId(), Named.as("order-by-customer"))
                .repartition(byDimension(eventSerde, "orders-by-customer"))
                .mapValues(e -> (SpecificRecord) e, Named.as("order-as-customer-input"));
        KStream<String, SpecificRecord> chargebacks = builder
                .stream(Topics.CHARGEBACKS.name(), Consumed.with(Topics.CHARGEBACKS.keySerde(),
                        Topics.CHARGEBACKS.valueSerde(serdes)).withName("read-chargebacks"))
                .repartition(byDimension(Topics.CHARGEBACKS.valueSerde(serdes), "chargebacks-by-customer"))
                .mapValues(c -> (SpecificRecord) c, Named.as("chargeback-as-customer-input"));
        KStream<String, SpecificRecord> pastScores = scores
                .selectKey((orderId, score) -> score.getCustomerId(), Named.as("score-by-customer"))
                .repartition(byDimension(Topics.FRAUD_SCORES.valueSerde(serdes), "scores-by-customer"))
                .mapValues(score -> (SpecificRecord) score, Named.as("score-as-customer-input"));
        KStream<String, FraudSignal> customerSignals = orders
                .merge(chargebacks, Named.as("with-chargebacks"))
                .merge(pastScores, Named.as("with-past-scores"))
                .process(() -> new CustomerWatcher(settings), Named.as("watch-customer"), FraudStores.CUSTOMER_RISK);

        KStream<String, FraudSignal> deviceSignals = dimension(toScore, eventSerde, FraudSource.DEVICE);
        KStream<String, FraudSignal> ipSignals = dimension(toScore, eventSerde, FraudSource.IP);
        customerSignals.merge(deviceSignals, Named.as("customer-and-device")).merge(ipSignals, Named.as("all-sides"))
                .to(Topics.FRAUD_SIGNALS.name(), TypedStreams.produced(Topics.FRAUD_SIGNALS, serdes, "write-fraud-signals"));
    }

    /**
     * Never idles a task to wait for data on another of its inputs: no fraud processor depends on the order of
     * its inputs (the gatherer waits for all signals and the payment, whichever comes first; a chargeback or a
     * past score just updates the profile), and Kafka Streams 4.3 formats a log message for every empty input
     * partition at every readiness check unless idling is disabled (see docs/dependencies.md).
     */
    @Override
    public Map<String, Object> configOverrides() {
        return Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    }

    static boolean awaitsFraudCheck(Order order) {
        return order != null && order.getStatus() == OrderStatus.PLACED && order.getTotal() != null
                && order.getPendingChecks().contains(CheckType.FRAUD);
    }

    private <V> Repartitioned<String, V> byDimension(Serde<V> valueSerde, String name) {
        return Repartitioned.with(Serdes.String(), valueSerde).withName(name).withNumberOfPartitions(DIMENSION_PARTITIONS);
    }

    /** Device or IP: orders without one get an empty signal straight away. */
    private KStream<String, FraudSignal> dimension(KStream<String, OrderEvent> toScore, Serde<OrderEvent> eventSerde,
            FraudSource source) {
        String name = source.name().toLowerCase();
        KStream<String, FraudSignal> watched = toScore
                .filter((orderId, event) -> value(event.getOrder(), source) != null, Named.as("with-" + name))
                .selectKey((orderId, event) -> value(event.getOrder(), source), Named.as("order-by-" + name))
                .repartition(byDimension(eventSerde, "orders-by-" + name))
                .process(() -> new DimensionWatcher(source, settings), Named.as("watch-" + name),
                        source == FraudSource.DEVICE ? FraudStores.DEVICE_ACTIVITY : FraudStores.IP_ACTIVITY);
        KStream<String, FraudSignal> unknown = toScore
                .filter((orderId, event) -> value(event.getOrder(), source) == null, Named.as("without-" + name))
                .mapValues(event -> FraudSignals.of(event.getOrder(), source, List.of()), Named.as("no-" + name + "-signal"));
        return watched.merge(unknown, Named.as("all-" + name + "-signals"));
    }

    private static String value(Order order, FraudSource source) {
        return source == FraudSource.DEVICE ? order.getDeviceId() : order.getClientIp();
    }
}

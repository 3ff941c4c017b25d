package io.brewstream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.orders.ClaimOrder;
import io.brewstream.schemas.orders.MarkReady;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.StartPreparation;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.TopicPartitioner;
import io.brewstream.schemas.topics.Topics;

/**
 * Orders end to end: placed either straight on {@code orders.commands} or through the ingress over HTTP, and
 * counted when {@code orders.events} says they reached VALIDATED. Latency is from the send (or the HTTP request)
 * to the moment the bench reads the VALIDATED transition (PICKED_UP in the full flow). Rejected, expired and
 * cancelled orders count as errors.
 */
public final class OrderFlowBenchmark {
    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");

    private final String bootstrapServers;
    private final AvroSerdes serdes;
    private final OrderTraffic traffic;

    public OrderFlowBenchmark(String bootstrapServers, String registryUrl, OrderTraffic traffic) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = AvroSerdes.forRegistry(registryUrl);
        this.traffic = traffic;
    }

    public BenchResult kafkaDirect(String name, long count, int ratePerSecond, Duration timeout) throws Exception {
        return kafkaDirect(name, count, new Pacer(ratePerSecond), false, timeout);
    }

    /**
     * The full flow, straight to Kafka, in bursts: every validated order is started, made ready and claimed with
     * its pickup code by the bench acting as barista and customer; an order completes at PICKED_UP.
     */
    public BenchResult fullFlow(String name, long count, int averagePerSecond, Duration timeout) throws Exception {
        return kafkaDirect(name, count, Pacer.bursting(averagePerSecond, Duration.ofSeconds(10), Duration.ofSeconds(2), 3),
                true, false, timeout);
    }

    /**
     * The full flow with every validated order paid by card at the counter ({@code payments.received}) as it is
     * started: one in ten payments delivered twice (to be counted once), one order in 25 paid a second time (to be
     * refunded, the order being paid in full already). For the soak's accounting of the money.
     */
    public BenchResult fullFlowPaying(String name, long count, int averagePerSecond, Duration timeout) throws Exception {
        return kafkaDirect(name, count, Pacer.bursting(averagePerSecond, Duration.ofSeconds(10), Duration.ofSeconds(2), 3),
                true, true, timeout);
    }

    private BenchResult kafkaDirect(String name, long count, Pacer pacer, boolean fullFlow, Duration timeout)
            throws Exception {
        return kafkaDirect(name, count, pacer, fullFlow, false, timeout);
    }

    private BenchResult kafkaDirect(String name, long count, Pacer pacer, boolean fullFlow, boolean paying,
            Duration timeout) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Measurement measurement = new Measurement(name);
        try (TopicWrites writes = new TopicWrites(bootstrapServers);
                ProcessSampler sampler = new ProcessSampler();
                KafkaProducer<String, OrderCommand> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.LINGER_MS_CONFIG, 5,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                        ProducerConfig.PARTITIONER_CLASS_CONFIG, TopicPartitioner.class.getName()),
                        new StringSerializer(), Topics.ORDER_COMMANDS.valueSerde(serdes).serializer());
                // a payer only for the flow that pays (a null resource is closed by nobody)
                KafkaProducer<String, PaymentReceived> payer = !paying ? null : new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.LINGER_MS_CONFIG, 5,
                        ProducerConfig.PARTITIONER_CLASS_CONFIG, TopicPartitioner.class.getName()),
                        new StringSerializer(), Topics.PAYMENTS.valueSerde(serdes).serializer())) {
            OrderWatcher watcher = new OrderWatcher(measurement, sentAt, count, timeout, fullFlow ? producer : null,
                    payer);
            Map<String, Long> before = writes.endOffsets();
            watcher.start();
            for (long i = 0; i < count; i++) {
                pacer.awaitTurn(i);
                OrderTraffic.NextOrder order = traffic.next();
                sentAt.put(order.orderId(), System.nanoTime());
                measurement.sent();
                producer.send(new ProducerRecord<>(Topics.ORDER_COMMANDS.name(), order.orderId(), order.command()),
                        (meta, e) -> {
                            if (e != null) {
                                measurement.error("send failed: " + e.getClass().getSimpleName());
                            }
                        });
            }
            producer.flush();
            watcher.join(timeout.toMillis() + 5_000);
            BenchResult result = measurement.result(sampler.usage());
            return result.withWrites(TopicWrites.perCompletion(before, writes.endOffsets(), result.completed()));
        }
    }

    /**
     * Through the ingress: at most {@code concurrency} requests in flight, each with its customer's bearer token
     * ({@code authorization} gives the header value for a customer id).
     */
    public BenchResult http(String name, String baseUrl, long count, int ratePerSecond, int concurrency, Duration timeout,
            java.util.function.Function<String, String> authorization) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Measurement measurement = new Measurement(name);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore inFlight = new Semaphore(concurrency);
        try (TopicWrites writes = new TopicWrites(bootstrapServers); ProcessSampler sampler = new ProcessSampler()) {
            OrderWatcher watcher = new OrderWatcher(measurement, sentAt, count, timeout, null, null);
            Map<String, Long> before = writes.endOffsets();
            watcher.start();
            Pacer pacer = new Pacer(ratePerSecond);
            URI orders = URI.create(baseUrl + "/api/v1/orders");
            for (long i = 0; i < count; i++) {
                pacer.awaitTurn(i);
                inFlight.acquire();
                OrderTraffic.NextOrder order = traffic.next();
                long sent = System.nanoTime();
                measurement.sent();
                // the bench stands for the customers' proxy: the ingress trusts loopback's X-Forwarded-For
                client.sendAsync(HttpRequest.newBuilder(orders).header("Content-Type", "application/json")
                        .header("X-Forwarded-For", order.clientIp())
                        .header("Authorization", authorization.apply(order.customerId()))
                        .POST(HttpRequest.BodyPublishers.ofString(order.json())).build(), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, e) -> {
                            inFlight.release();
                            if (e != null) {
                                Throwable cause = e.getCause() == null ? e : e.getCause();
                                measurement.error("HTTP request failed: " + cause.getClass().getSimpleName());
                                return;
                            }
                            Matcher id = ORDER_ID.matcher(response.body());
                            if (response.statusCode() != 202 || !id.find()) {
                                measurement.error("HTTP " + response.statusCode());
                                return;
                            }
                            watcher.expect(id.group(1), sent);
                        });
            }
            watcher.join(timeout.toMillis() + 5_000);
            BenchResult result = measurement.result(sampler.usage());
            return result.withWrites(TopicWrites.perCompletion(before, writes.endOffsets(), result.completed()));
        }
    }

    /**
     * Reads orders.events and completes an order at its VALIDATED transition, or, with a producer for the full flow,
     * moves it on (start, ready, claim) at each transition and completes it at PICKED_UP.
     */
    private final class OrderWatcher extends Thread {
        private final Measurement measurement;
        private final Map<String, Long> sentAt;
        private final Map<String, Long> validatedBeforeExpected = new ConcurrentHashMap<>();
        private final long count;
        private final Duration timeout;
        private final KafkaConsumer<String, OrderEvent> consumer;
        private final KafkaProducer<String, OrderCommand> fullFlow;
        private final KafkaProducer<String, PaymentReceived> payer;
        private final OrderStatus completesAt;

        OrderWatcher(Measurement measurement, Map<String, Long> sentAt, long count, Duration timeout,
                KafkaProducer<String, OrderCommand> fullFlow, KafkaProducer<String, PaymentReceived> payer) {
            super("bench-order-watcher");
            this.fullFlow = fullFlow;
            this.payer = payer;
            this.completesAt = fullFlow == null ? OrderStatus.VALIDATED : OrderStatus.PICKED_UP;
            this.measurement = measurement;
            this.sentAt = sentAt;
            this.count = count;
            this.timeout = timeout;
            Deserializer<OrderEvent> values = Topics.ORDER_EVENTS.valueSerde(serdes).deserializer();
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), values);
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.ORDER_EVENTS.partitions(); p++) {
                partitions.add(new TopicPartition(Topics.ORDER_EVENTS.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        /** For HTTP: the order id is known only once the ingress answered; its VALIDATED may have come first. */
        synchronized void expect(String orderId, long sentNanos) {
            Long validatedAt = validatedBeforeExpected.remove(orderId);
            if (validatedAt == null) {
                sentAt.put(orderId, sentNanos);
            } else {
                measurement.completed(sentNanos - (System.nanoTime() - validatedAt));
            }
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + timeout.toNanos();
            try (consumer) {
                while (measurement.completedCount() + measurement.errorCount() < count && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(50)).forEach(record -> onEvent(record.key(), record.value()));
                }
            }
        }

        private synchronized void onEvent(String orderId, OrderEvent event) {
            if (event == null || event.getKind() != OrderEventKind.TRANSITION) {
                return;
            }
            OrderStatus to = event.getToStatus();
            if (fullFlow != null && to != completesAt && sentAt.containsKey(orderId)) {
                moveOn(orderId, event);
            }
            if (to == completesAt) {
                Long sent = sentAt.remove(orderId);
                if (sent != null) {
                    measurement.completed(sent);
                } else {
                    validatedBeforeExpected.put(orderId, System.nanoTime());
                }
            } else if (to == OrderStatus.REJECTED || to == OrderStatus.EXPIRED || to == OrderStatus.CANCELLED) {
                if (sentAt.remove(orderId) != null) {
                    measurement.error(endedWithout(event));
                }
            }
        }

        /** "expired", "cancelled", or "rejected by" the check that failed first ("fraud", "inventory"). */
        private static String endedWithout(OrderEvent event) {
            String status = event.getToStatus().name().toLowerCase();
            if (event.getToStatus() != OrderStatus.REJECTED || event.getReasons().isEmpty()) {
                return status;
            }
            String reason = event.getReasons().get(0);
            int colon = reason.indexOf(':');
            return "rejected by " + (colon > 0 ? reason.substring(0, colon) : reason);
        }

        /** A card payment of the total; some delivered twice, some followed by a second payment (to be refunded). */
        private void pay(String orderId, Money total, String customerId) {
            int bucket = Math.floorMod(orderId.hashCode(), 100);
            PaymentReceived payment = PaymentReceived.newBuilder().setPaymentId("bench-" + orderId).setOrderId(orderId)
                    .setMethod(PaymentMethod.CARD).setAmount(total).setCardFingerprint("bench-card-" + customerId)
                    .setReceivedAt(Instant.now()).build();
            send(payment);
            if (bucket % 10 == 0) {
                send(payment); // the provider's webhook delivered it twice
            }
            if (bucket % 25 == 1) {
                send(PaymentReceived.newBuilder(payment).setPaymentId("bench-" + orderId + "-again").build());
            }
        }

        private void send(PaymentReceived payment) {
            payer.send(new ProducerRecord<>(Topics.PAYMENTS.name(), payment.getOrderId(), payment), (meta, e) -> {
                if (e != null) {
                    measurement.error("payment send failed: " + e.getClass().getSimpleName());
                }
            });
        }

        private void moveOn(String orderId, OrderEvent event) {
            if (payer != null && event.getToStatus() == OrderStatus.VALIDATED && event.getOrder().getTotal() != null) {
                pay(orderId, event.getOrder().getTotal(), event.getOrder().getCustomerId());
            }
            SpecificRecord next = switch (event.getToStatus()) {
                case VALIDATED -> StartPreparation.newBuilder().setBaristaId("bench-barista").build();
                case IN_PREPARATION -> MarkReady.newBuilder().setBaristaId("bench-barista").build();
                case READY -> ClaimOrder.newBuilder().setPickupCode(event.getOrder().getPickupCode()).build();
                default -> null;
            };
            if (next == null) {
                return;
            }
            OrderCommand command = OrderCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setOrderId(orderId)
                    .setChannel(Channel.APP).setIssuedAt(Instant.now()).setCommand(next).build();
            fullFlow.send(new ProducerRecord<>(Topics.ORDER_COMMANDS.name(), orderId, command), (meta, e) -> {
                if (e != null) {
                    measurement.error("send failed: " + e.getClass().getSimpleName());
                }
            });
        }
    }
}

package io.brewstream.app;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.web3j.crypto.Keys;

import io.brewstream.bench.BenchResult;
import io.brewstream.bench.Measurement;
import io.brewstream.bench.ProcessSampler;
import io.brewstream.connectors.chain.ChainWatcher;
import io.brewstream.connectors.chain.LocalChain;
import io.brewstream.embedded.EmbeddedAnvil;
import io.brewstream.schemas.common.CryptoAmount;
import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.payments.ChainPayment;
import io.brewstream.schemas.payments.Invoice;
import io.brewstream.schemas.payments.InvoiceStatus;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/**
 * The chain watcher against full blocks: {@code transfersPerBlock} ERC-20 payments to as many invoices' deposit
 * addresses put into one block of a local node (automining off, the block's gas limit raised), the block mined,
 * and the time from the mining to the last of its payments written by the watcher measured, block after block.
 */
final class ChainWatcherBenchmark {
    private ChainWatcherBenchmark() {
    }

    static BenchResult run(String name, String bootstrapServers, String registryUrl, int transfersPerBlock, int blocks)
            throws Exception {
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        Measurement measurement = new Measurement(name);
        try (EmbeddedAnvil anvil = EmbeddedAnvil.onFreePort().start();
                LocalChain chain = new LocalChain(anvil.rpcUrl(), EmbeddedAnvil.CHAIN_ID)) {
            String token = chain.deployToken("Bench USD Coin", "USDC");
            chain.mint(token, LocalChain.account(1).getAddress(), BigInteger.valueOf(Long.MAX_VALUE));
            chain.blockGasLimit(1_000_000_000L);
            String run = Long.toString(System.nanoTime(), 36);
            List<String> addresses = new java.util.ArrayList<>();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new ByteArraySerializer())) {
                Instant now = Instant.now();
                org.apache.kafka.common.serialization.Serializer<Invoice> invoices = Topics.INVOICES.valueSerde(serdes).serializer();
                for (int i = 0; i < transfersPerBlock * blocks; i++) {
                    String address = Keys.toChecksumAddress(Keys.getAddress(Keys.createEcKeyPair()));
                    addresses.add(address);
                    String id = "bench-shop:" + run + i + ".0";
                    Invoice invoice = Invoice.newBuilder().setInvoiceId(id).setOrderId("bench-shop:" + run + i)
                            .setShopId("bench-shop").setCustomerId("bench").setStatus(InvoiceStatus.NEW)
                            .setChainId(EmbeddedAnvil.CHAIN_ID).setDue(CryptoAmount.newBuilder().setBaseUnits(BigDecimal.ONE)
                                    .setDecimals(6).setAsset("USDC").setTokenContract(token.toLowerCase()).build())
                            .setFiat(Money.newBuilder().setAmountMinor(1).setCurrency("EUR").build())
                            .setDepositAddress(address).setAddressIndex(i).setPaidSeen(BigDecimal.ZERO)
                            .setPaidConfirmed(BigDecimal.ZERO).setCreatedAt(now).setExpiresAt(now.plusSeconds(900))
                            .setMonitorUntil(now.plusSeconds(3_600)).setUpdatedAt(now).build();
                    producer.send(new ProducerRecord<>(Topics.INVOICES.name(), id,
                            invoices.serialize(Topics.INVOICES.name(), invoice)));
                }
            }
            try (ChainWatcher watcher = new ChainWatcher(bootstrapServers, serdes, ChainWatcher.Settings.of(anvil.rpcUrl(),
                    EmbeddedAnvil.CHAIN_ID, 3, List.of(new ChainWatcher.Token("USDC", token, 6))));
                    KafkaConsumer<String, byte[]> payments = consumer(bootstrapServers);
                    ProcessSampler sampler = new ProcessSampler()) {
                await(() -> watcher.lastBlock() >= 0, Duration.ofSeconds(30), "the watcher did not start");
                chain.automine(false);
                Set<String> seen = new HashSet<>();
                org.apache.kafka.common.serialization.Deserializer<ChainPayment> reader =
                        Topics.CHAIN_PAYMENTS.valueSerde(serdes).deserializer();
                for (int block = 0; block < blocks; block++) {
                    BigInteger nonce = chain.nonce(1);
                    for (int i = 0; i < transfersPerBlock; i++) {
                        chain.submitTokenTransfer(1, token, addresses.get(block * transfersPerBlock + i), BigInteger.ONE,
                                nonce.add(BigInteger.valueOf(i)));
                    }
                    long mined = System.nanoTime();
                    chain.mineOne();
                    for (int i = 0; i < transfersPerBlock; i++) {
                        measurement.sent();
                    }
                    int before = seen.size();
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (seen.size() < before + transfersPerBlock && System.nanoTime() < deadline) {
                        for (ConsumerRecord<String, byte[]> record : payments.poll(Duration.ofMillis(50))) {
                            ChainPayment payment = reader.deserialize(record.topic(), record.value());
                            if (payment.getInvoiceId().startsWith("bench-shop:" + run) && seen.add(payment.getPaymentId())) {
                                measurement.completed(mined);
                            }
                        }
                    }
                    if (seen.size() < before + transfersPerBlock) {
                        measurement.error("payments not seen within 60 s");
                    }
                }
                chain.automine(true);
                return measurement.result(sampler.usage());
            }
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHAIN_PAYMENTS.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration atMost, String otherwise)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(otherwise);
            }
            Thread.sleep(20);
        }
    }
}

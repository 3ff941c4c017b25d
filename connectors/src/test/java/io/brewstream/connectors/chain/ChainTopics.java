package io.brewstream.connectors.chain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.brewstream.embedded.junit.CommittedRecords;
import io.brewstream.schemas.common.CryptoAmount;
import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.payments.ChainPayment;
import io.brewstream.schemas.payments.Invoice;
import io.brewstream.schemas.payments.InvoiceStatus;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/** What the chain watcher's tests give it and read back: invoices in, committed chain payments out. */
final class ChainTopics {
    private final String bootstrapServers;
    private final AvroSerdes serdes;

    ChainTopics(String bootstrapServers, AvroSerdes serdes) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = serdes;
    }

    /** A new invoice of 1,000,000 base units (18 decimals for the chain's coin, 6 for a token), published. */
    Invoice publishInvoice(String id, long chainId, String asset, String tokenContract, String depositAddress,
            int addressIndex) throws Exception {
        Instant now = Instant.now();
        Invoice invoice = Invoice.newBuilder().setInvoiceId(id).setOrderId(id.split("/")[0]).setShopId("berlin-mitte")
                .setCustomerId("cust-1").setStatus(InvoiceStatus.NEW).setChainId(chainId)
                .setDue(CryptoAmount.newBuilder().setBaseUnits(BigDecimal.valueOf(1_000_000)).setAsset(asset)
                        .setDecimals(tokenContract == null ? 18 : 6).setTokenContract(tokenContract).build())
                .setFiat(Money.newBuilder().setAmountMinor(100).setCurrency("EUR").build()).setRate("1")
                .setDepositAddress(depositAddress).setAddressIndex(addressIndex)
                .setPaidSeen(BigDecimal.ZERO).setPaidConfirmed(BigDecimal.ZERO)
                .setCreatedAt(now).setExpiresAt(now.plusSeconds(900)).setMonitorUntil(now.plusSeconds(87_300))
                .setUpdatedAt(now).build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.INVOICES.name(), id,
                    Topics.INVOICES.valueSerde(serdes).serializer().serialize(Topics.INVOICES.name(), invoice))).get();
        }
        return invoice;
    }

    /** An address nobody else pays: a new key's (the topology derives real ones from a shop's xpub). */
    static String freshAddress() {
        try {
            return org.web3j.crypto.Keys.toChecksumAddress(org.web3j.crypto.Keys.getAddress(
                    org.web3j.crypto.Keys.createEcKeyPair()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The committed chain payments that match, in the order they were observed. */
    List<ChainPayment> payments(Predicate<ChainPayment> which) {
        List<ChainPayment> found = new ArrayList<>();
        var reader = Topics.CHAIN_PAYMENTS.valueSerde(serdes).deserializer();
        CommittedRecords.readAll(bootstrapServers, Topics.CHAIN_PAYMENTS.name(), (key, value) -> {
            ChainPayment payment = reader.deserialize(Topics.CHAIN_PAYMENTS.name(), value);
            if (which.test(payment)) {
                found.add(payment);
            }
        });
        found.sort(Comparator.comparing(ChainPayment::getObservedAt));
        return found;
    }
}

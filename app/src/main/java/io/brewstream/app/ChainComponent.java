package io.brewstream.app;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.brewstream.connectors.chain.ChainWatcher;
import io.brewstream.connectors.supervision.Restarting;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.schemas.payments.ExchangeRate;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/** Crypto payments in this process: the configured fixed rates published, and the chain watcher when a node is set. */
final class ChainComponent {
    private ChainComponent() {
    }

    /** The configured fixed rates, published before the invoice topology starts, so its first invoice has them. */
    static void publishRates(ChainSettings settings, String bootstrapServers, String registryUrl) {
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        if (!settings.fixedRates().isEmpty()) {
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new ByteArraySerializer())) {
                org.apache.kafka.common.serialization.Serializer<ExchangeRate> writer =
                        Topics.EXCHANGE_RATES.valueSerde(serdes).serializer();
                for (ExchangeRate rate : settings.fixedRates()) {
                    producer.send(new ProducerRecord<>(Topics.EXCHANGE_RATES.name(), rate.getAsset() + "/" + rate.getCurrency(),
                            writer.serialize(Topics.EXCHANGE_RATES.name(), rate)));
                }
            }
        }
    }

    /** The chain watcher, when a node is configured. */
    static Optional<ReadinessCheck> startWatcher(ChainSettings settings, String bootstrapServers, String registryUrl,
            Lifecycle lifecycle) {
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        return settings.watcher().map(watcherSettings -> {
            // a watcher that fails (the node or the broker away) is started again with backoff, from its checkpoint
            Restarting<ChainWatcher> watcher = lifecycle.add(Restarting.start("the chain watcher of chain "
                    + watcherSettings.chainId(), () -> new ChainWatcher(bootstrapServers, serdes, watcherSettings),
                    ChainWatcher::failure));
            return ReadinessCheck.of("chain-watcher", () -> watcher.current().map(ChainWatcher::isRunning).orElse(false));
        });
    }
}

package io.brewstream.topologies.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.fraud.FraudSettings;
import io.brewstream.topologies.inventory.InventorySettings;
import io.brewstream.topologies.orders.OrdersSettings;
import io.brewstream.topologies.orders.OrdersTopology;

/** The registry topics an application learns the schemas of at start: what it reads and writes, rare ones too. */
class TopicsOfTopologyTest {
    @Test
    void theOrdersApplicationsSourcesSinksAndGlobalStoresButNoInternalTopic() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topics-of-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        Topology topology = new OrdersTopology(OrdersSettings.defaults(), InventorySettings.defaults(),
                FraudSettings.defaults()).build(AvroSerdes.forRegistry("http://127.0.0.1:9"), props);

        assertThat(StreamsApp.topicsOf(topology)).contains(
                Topics.ORDER_COMMANDS, Topics.PAYMENTS, Topics.ORDER_VALIDATIONS, Topics.STOCK_DELIVERIES,
                Topics.CHARGEBACKS, // read
                Topics.ORDER_EVENTS, Topics.REFUNDS, Topics.LOW_STOCK, Topics.FRAUD_SCORES, Topics.FRAUD_ALERTS, // written
                Topics.FRAUD_ACTIVITY, Topics.SHOPS, Topics.CUSTOMERS, Topics.DENY_LIST) // global stores
                .doesNotContain(Topics.FRAUD_SIGNALS);
    }
}

package io.brewstream.connectors.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.connectors.database.DatabaseSettings;
import io.brewstream.connectors.database.OperationalDatabase;
import io.brewstream.embedded.EmbeddedDatabase;
import io.brewstream.embedded.FreePorts;
import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.TopicProvisioner;
import io.brewstream.schemas.topics.Topics;

/**
 * PostgreSQL goes away under the CDC connector and comes back on the same data: the connector streams again by
 * itself, and a row written before, during-the-restart and after all reach their topic. A database of the test's
 * own, so stopping it touches no other test.
 */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class DatabaseOutageIntegrationTest {
    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageIntegrationTest.class);
    private final EmbeddedInfrastructure infra;
    private EmbeddedDatabase postgres;

    DatabaseOutageIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
    }

    @AfterEach
    void stopDatabase() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theConnectorStreamsAgainAfterTheDatabaseWasAwayAndLosesNoRow(@TempDir Path dir) throws Exception {
        int port = FreePorts.next();
        postgres = EmbeddedDatabase.persistent(dir.resolve("postgres"), port).start();
        DatabaseSettings database = new DatabaseSettings(postgres.createDatabase("outage"), EmbeddedDatabase.USER, "");
        OperationalDatabase.migrate(database);
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
        String id = EmbeddedInfrastructure.uniqueName("away").replace('-', '_');
        CdcSettings settings = CdcSettings.defaults(database, id, dir.resolve("offsets.dat"));

        try (TopicReader reader = TopicReader.fromNow(infra.bootstrapServers(), List.of(Topics.CUSTOMERS));
                CdcConnector connector = CdcConnector.start(settings, infra.bootstrapServers(),
                        AvroSerdes.forRegistry(infra.registryUrl()), ChangeListener.NONE)) {
            await().atMost(Duration.ofSeconds(60)).until(connector::streaming);
            insertCustomer(database, "before-" + id);
            reader.await(Topics.CUSTOMERS, "before-" + id, r -> true);

            postgres.close();
            await().atMost(Duration.ofSeconds(60)).until(() -> !connector.streaming());
            log.info("database away: the connector is {}", connector.state());

            postgres = EmbeddedDatabase.persistent(dir.resolve("postgres"), port).start();
            insertCustomer(database, "after-" + id);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                log.info("database back: the connector is {}, streaming {}", connector.state(), connector.streaming());
                return connector.streaming();
            });
            reader.await(Topics.CUSTOMERS, "after-" + id, r -> true);
            assertThat(connector.state()).isEqualTo(CdcConnector.State.RUNNING);
        }
    }

    private static void insertCustomer(DatabaseSettings database, String customerId) throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO customers (customer_id, display_name) VALUES ('" + customerId + "', 'Customer')");
        }
    }
}

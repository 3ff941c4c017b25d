package io.brewstream.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.brewstream.connectors.cdc.CdcConnector;
import io.brewstream.connectors.cdc.CdcSettings;
import io.brewstream.connectors.database.DatabaseSettings;
import io.brewstream.connectors.database.OperationalDatabase;
import io.brewstream.connectors.supervision.Restarting;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.Timer;

/** The CDC connector over the operational database (migrated first, seeded with the demo chain if asked). */
final class ConnectorsComponent {
    static final String CONNECTOR_NAME = "brewstream";

    /** The engine, started again with backoff when it fails for good (Debezium itself retries a lost database). */
    final Restarting<CdcConnector> cdc;
    /** "cdc" (the engine streams) decides; "database" is reported: while it is away the engine is not streaming. */
    final List<ReadinessCheck> readiness;

    private ConnectorsComponent(Restarting<CdcConnector> cdc, ReadinessCheck database) {
        this.cdc = cdc;
        this.readiness = List.of(ReadinessCheck.of("cdc", () -> cdc.current().map(CdcConnector::streaming).orElse(false)),
                database);
    }

    static ConnectorsComponent start(DatabaseSettings database, boolean demoData, Path stateDir, String bootstrapServers,
            String registryUrl, Observability observability, Lifecycle lifecycle) {
        OperationalDatabase.migrate(database);
        if (demoData) {
            DemoDatabase.seedIfEmpty(database);
        }
        Timer latency = Timer.builder("brewstream.cdc.latency")
                .description("From the database's commit to Kafka's acknowledgement of the change")
                .publishPercentiles(0.5, 0.99)
                .register(observability.registry());
        CdcSettings settings = CdcSettings.defaults(database, CONNECTOR_NAME, stateDir.resolve("cdc-offsets.dat"));
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        Restarting<CdcConnector> cdc = lifecycle.add(Restarting.start("the CDC engine",
                () -> CdcConnector.start(settings, bootstrapServers, serdes, (topic, commitToAck) -> latency.record(commitToAck)),
                ConnectorsComponent::failure));
        return new ConnectorsComponent(cdc, Dependencies.database(database, false, lifecycle));
    }

    /** Failed, or stopped without being asked to: either way it no longer streams. */
    private static Optional<Throwable> failure(CdcConnector cdc) {
        return switch (cdc.state()) {
            case FAILED -> Optional.of(cdc.failure().orElseGet(() -> new IllegalStateException("the CDC engine failed")));
            case STOPPED -> Optional.of(new IllegalStateException("the CDC engine stopped by itself"));
            default -> Optional.empty();
        };
    }
}

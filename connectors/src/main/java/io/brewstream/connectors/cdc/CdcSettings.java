package io.brewstream.connectors.cdc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.brewstream.connectors.database.DatabaseSettings;

/**
 * One CDC connector: the database it reads, its name (which also names its replication slot, publication and
 * transactional producer, so two connectors on one database need two names), where its offsets are kept, and
 * how often it polls and sends heartbeats.
 */
public record CdcSettings(
        DatabaseSettings database,
        String name,
        Path offsetsFile,
        Duration pollInterval,
        Duration heartbeatInterval) {

    public CdcSettings {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(offsetsFile, "offsetsFile");
        if (name == null || !name.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("a connector name is lower-case letters, digits and _ (it names a replication slot): " + name);
        }
    }

    public static CdcSettings defaults(DatabaseSettings database, String name, Path offsetsFile) {
        return new CdcSettings(database, name, offsetsFile, Duration.ofMillis(50), Duration.ofSeconds(10));
    }

    String slotName() {
        return name;
    }

    String publicationName() {
        return name + "_publication";
    }

    String transactionalId() {
        return "brewstream-cdc-" + name;
    }
}

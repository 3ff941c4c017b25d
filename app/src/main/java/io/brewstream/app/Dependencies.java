package io.brewstream.app;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

import io.brewstream.connectors.database.DatabaseSettings;
import io.brewstream.platform.http.DependencyProbe;
import io.brewstream.schemas.topics.BrokerReachability;

/**
 * /ready's view of what a process depends on, each asked on a thread of its own (see {@link DependencyProbe}): the
 * broker ("kafka"), the schema registry ("schema-registry") and the operational database ("database"). Which of them
 * decide readiness is the caller's choice: the ingress cannot take a command without the broker, but the read API
 * answers from its stores while the broker is away, and serializers keep the schemas they have seen.
 */
final class Dependencies {
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private Dependencies() {
    }

    static DependencyProbe broker(String bootstrapServers, boolean essential, Lifecycle lifecycle) {
        BrokerReachability reachability = lifecycle.add(new BrokerReachability(bootstrapServers, TIMEOUT));
        return lifecycle.add(new DependencyProbe("kafka", essential, INTERVAL, reachability::answers));
    }

    /** Apicurio's system information (registry URL + {@code /system/info}) answering 200. */
    static DependencyProbe registry(String registryUrl, boolean essential, Lifecycle lifecycle) {
        URI info = URI.create(registryUrl.replaceAll("/+$", "") + "/system/info");
        return lifecycle.add(new DependencyProbe("schema-registry", essential, INTERVAL,
                DependencyProbe.httpGet(info, TIMEOUT)));
    }

    /** A connection opened and found valid within the timeout. */
    static DependencyProbe database(DatabaseSettings database, boolean essential, Lifecycle lifecycle) {
        return lifecycle.add(new DependencyProbe("database", essential, INTERVAL, () -> {
            java.util.Properties properties = new java.util.Properties();
            properties.setProperty("user", database.user());
            properties.setProperty("password", database.password());
            // PostgreSQL's JDBC driver: seconds to connect and to log in
            properties.setProperty("connectTimeout", Long.toString(TIMEOUT.toSeconds()));
            properties.setProperty("loginTimeout", Long.toString(TIMEOUT.toSeconds()));
            try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), properties)) {
                return connection.isValid((int) TIMEOUT.toSeconds());
            }
        }));
    }
}

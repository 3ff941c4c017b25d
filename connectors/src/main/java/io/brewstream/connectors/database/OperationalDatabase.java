package io.brewstream.connectors.database;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operational database's schema: Flyway migrations under {@code db/migration}, applied in order once each. */
public final class OperationalDatabase {
    private static final Logger log = LoggerFactory.getLogger(OperationalDatabase.class);
    private static final String MIGRATIONS = "classpath:db/migration";

    private OperationalDatabase() {
    }

    /** Brings the schema up to the newest migration; a database already there is left as it is. */
    public static MigrateResult migrate(DatabaseSettings settings) {
        MigrateResult result = Flyway.configure()
                .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
                .locations(MIGRATIONS)
                .load()
                .migrate();
        log.info("operational database {} at schema version {} ({} migrations applied now)", settings.database(),
                result.targetSchemaVersion, result.migrationsExecuted);
        return result;
    }
}

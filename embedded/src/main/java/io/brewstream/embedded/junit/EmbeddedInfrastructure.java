package io.brewstream.embedded.junit;

import java.util.UUID;

import io.brewstream.embedded.EmbeddedDatabase;
import io.brewstream.embedded.EmbeddedKafka;
import io.brewstream.embedded.EmbeddedSchemaRegistry;

/**
 * The broker, registry and PostgreSQL server a test runs against. One of each per test JVM, started when first
 * asked for and stopped when the JVM's tests are done; tests keep apart by their own topics, application ids,
 * state dirs, databases and replication slots.
 */
public final class EmbeddedInfrastructure {
    private EmbeddedKafka kafka;
    private EmbeddedSchemaRegistry registry;
    private EmbeddedDatabase database;

    EmbeddedInfrastructure() {
    }

    public synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.temporary().start();
        }
        return kafka;
    }

    public synchronized EmbeddedSchemaRegistry registry() {
        if (registry == null) {
            registry = EmbeddedSchemaRegistry.temporary().start();
        }
        return registry;
    }

    public synchronized EmbeddedDatabase database() {
        if (database == null) {
            database = EmbeddedDatabase.temporary().start();
        }
        return database;
    }

    /** A new, empty database of its own on the shared server; returns its JDBC URL (user {@link EmbeddedDatabase#USER}). */
    public String newDatabase(String prefix) {
        return database().createDatabase(uniqueName(prefix).replace('-', '_').toLowerCase());
    }

    public String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    public String registryUrl() {
        return registry().apiUrl();
    }

    /** A name no other test in this JVM uses, for application ids, groups and topics. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    synchronized void close() {
        if (database != null) {
            database.close();
            database = null;
        }
        if (registry != null) {
            registry.close();
            registry = null;
        }
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }
}

package io.brewstream.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (binaries from a Maven jar) as a child process on a loopback port, with logical
 * WAL so Debezium can stream its changes. A persistent server keeps its cluster in a directory and reuses it on
 * the next start; a temporary one lives in a directory deleted on close.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String USER = "postgres";

    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private EmbeddedPostgres server;
    private Lifeline lifeline;

    private EmbeddedDatabase(Path dataDir, boolean temporary, int port) {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port;
    }

    /** A server whose cluster lives in {@code dataDir}; port 0 picks a free one. */
    public static EmbeddedDatabase persistent(Path dataDir, int port) {
        return new EmbeddedDatabase(dataDir, false, FreePorts.orFree(port));
    }

    /** A throw-away server on a free port. */
    public static EmbeddedDatabase temporary() {
        try {
            return new EmbeddedDatabase(Files.createTempDirectory("brewstream-postgres"), true, FreePorts.next());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized EmbeddedDatabase start() {
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            stopOrphan(dataDir.resolve("cluster"));
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.resolve("cluster"))
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_wal_senders", "10")
                    .setServerConfig("max_replication_slots", "10")
                    .setServerConfig("fsync", temporary ? "off" : "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL in " + dataDir, e);
        }
        // PostgreSQL runs as a daemon (pg_ctl): only a lifeline stops it when this JVM is killed
        postmasterPid(dataDir.resolve("cluster")).ifPresent(pid -> lifeline = Lifeline.watch(pid, "INT", STOP_GRACE));
        log.info("PostgreSQL listening on 127.0.0.1:{}, up in {} ms", port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return this;
    }

    /** How long a fast shutdown (SIGINT) may take before the server is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** The running server's pid, from the first line of its cluster's {@code postmaster.pid}. */
    private static java.util.Optional<Long> postmasterPid(Path cluster) {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readAllLines(cluster.resolve("postmaster.pid")).get(0)
                    .trim()));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * A server still running on this cluster was left by a process that was killed before it had lifelines (or whose
     * lifeline was killed with it): it holds the cluster, so it is stopped (fast shutdown, then KILL) before ours
     * starts. Only a postgres process whose pid the cluster's own lock file names is touched.
     */
    private static void stopOrphan(Path cluster) {
        java.util.Optional<ProcessHandle> orphan = postmasterPid(cluster).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        long pid = orphan.get().pid();
        log.warn("PostgreSQL (pid {}) still runs on {}, left by a stack that did not stop: stopping it", pid, cluster);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
            if (!orphan.get().onExit().toCompletableFuture().completeOnTimeout(null, STOP_GRACE.toSeconds(),
                    TimeUnit.SECONDS).thenApply(p -> p != null).join()) {
                orphan.get().destroyForcibly();
                orphan.get().onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not stop the PostgreSQL left running on " + cluster + " (pid " + pid
                    + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the PostgreSQL left on " + cluster, e);
        }
    }

    /** Creates the database unless it exists, and returns its JDBC URL. */
    public String createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection connection = server.getPostgresDatabase().getConnection()) {
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet rows = exists.executeQuery()) {
                    if (!rows.next()) {
                        try (Statement create = connection.createStatement()) {
                            create.execute("CREATE DATABASE " + name);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (lifeline != null) {
            lifeline.close();
            lifeline = null;
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                log.warn("PostgreSQL did not stop cleanly: {}", e.toString());
            }
            server = null;
        }
        if (temporary) {
            Directories.deleteRecursively(dataDir);
        }
    }
}

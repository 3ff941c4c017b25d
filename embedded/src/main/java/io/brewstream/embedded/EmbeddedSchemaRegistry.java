package io.brewstream.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Apicurio schema registry, run as a child JVM on a loopback port. With a data directory its
 * storage is an H2 file there, so schema ids survive restarts together with the Kafka data that uses them;
 * without one it is in memory.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final String CDS_ARCHIVE = "registry-classes.jsa";

    private final Path workDir;
    private final boolean persistent;
    private final int port;
    private ChildProcess process;

    private EmbeddedSchemaRegistry(Path workDir, boolean persistent, int port) {
        this.workDir = workDir;
        this.persistent = persistent;
        this.port = port;
    }

    /** An in-memory registry on a free port; its log goes to a temporary directory deleted on close. */
    public static EmbeddedSchemaRegistry temporary() {
        try {
            return new EmbeddedSchemaRegistry(Files.createTempDirectory("brewstream-registry"), false, FreePorts.next());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A registry whose storage lives in {@code dataDir}; port 0 picks a free one. */
    public static EmbeddedSchemaRegistry persistent(Path dataDir, int port) {
        return new EmbeddedSchemaRegistry(dataDir, true, FreePorts.orFree(port));
    }

    public synchronized EmbeddedSchemaRegistry start() {
        if (process != null) {
            return this;
        }
        long started = System.nanoTime();
        Path runner = RegistryDistribution.runnerJar();
        try {
            Files.createDirectories(workDir);
            Path logFile = workDir.resolve("registry.log");
            FreePorts.requireFree(port, "the schema registry");
            process = ChildProcess.start("schema registry", command(runner), workDir.toFile(), logFile,
                    Duration.ofSeconds(20));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/apis/registry/v2/system/info"))
                    .timeout(Duration.ofSeconds(2)).build();
            process.awaitReady(Duration.ofSeconds(90),
                    () -> http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("could not start the schema registry", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("Schema registry listening on {} (pid {}), up in {} ms", baseUrl(), process.pid(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return this;
    }

    private List<String> command(Path runner) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss512k"));
        // class-data sharing: the first run writes an archive next to the distribution, later runs start faster
        Path archive = runner.resolveSibling(CDS_ARCHIVE);
        if (Files.isRegularFile(archive)) {
            cmd.add("-XX:SharedArchiveFile=" + archive);
        } else if (Files.isWritable(runner.getParent())) {
            cmd.add("-XX:ArchiveClassesAtExit=" + archive);
        }
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dquarkus.log.level=WARN");
        cmd.add("-Dquarkus.datasource.jdbc.initial-size=2");
        cmd.add("-Dquarkus.datasource.jdbc.min-size=2");
        cmd.add("-Dquarkus.datasource.jdbc.max-size=10");
        if (persistent) {
            cmd.add("-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + workDir.toAbsolutePath().resolve("registry-db"));
        }
        cmd.add("-jar");
        cmd.add(runner.toString());
        return cmd;
    }

    /** Base URL, e.g. http://127.0.0.1:8081. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The registry's v2 API, the URL Apicurio serdes want. */
    public String apiUrl() {
        return baseUrl() + "/apis/registry/v2";
    }

    /** The Confluent-compatible API. */
    public String confluentApiUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
            process = null;
        }
        if (!persistent) {
            Directories.deleteRecursively(workDir);
        }
    }
}

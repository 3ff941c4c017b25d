package io.brewstream.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.brewstream.embedded.FreePorts;

/**
 * {@code brewstream streams} in a JVM of its own (this JVM's Java and class path, so the jar or a test's classes),
 * so a test or the soak can kill it as a crash does (SIGKILL: no shutdown hook, no commit, no leaving the group) and
 * start it again with the same state directory, port and instance id. Its output is appended to {@code log}.
 */
final class StreamsProcess implements AutoCloseable {
    private final List<String> apps;
    private final Map<String, String> environment;
    private final Path log;
    private final int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    StreamsProcess(List<String> apps, Map<String, String> environment, Path stateDirectory, Path log) {
        this.apps = List.copyOf(apps);
        this.httpPort = FreePorts.next();
        this.log = log;
        this.environment = new LinkedHashMap<>(environment);
        this.environment.put("BREWSTREAM_HTTP_HOST", "127.0.0.1");
        this.environment.put("BREWSTREAM_ADVERTISED_HOST", "127.0.0.1");
        this.environment.put("BREWSTREAM_HTTP_PORT", Integer.toString(httpPort));
        this.environment.put("BREWSTREAM_STATE_DIR", stateDirectory.resolve("streams").toString());
        this.environment.put("BREWSTREAM_DEV_ISSUER_DIR", stateDirectory.resolve("issuer").toString());
    }

    /**
     * The order path as the bench measures it: orders and fraud, the checks PRICING, INVENTORY and FRAUD (payment at
     * the counter), no standby replicas (one instance).
     */
    static StreamsProcess orderPath(String bootstrapServers, String registryUrl, String applicationIdPrefix,
            Path stateDirectory, Path log) {
        return new StreamsProcess(List.of("orders", "fraud"), Map.of(
                "BREWSTREAM_BOOTSTRAP_SERVERS", bootstrapServers,
                "BREWSTREAM_REGISTRY_URL", registryUrl,
                "BREWSTREAM_APPLICATION_ID_PREFIX", applicationIdPrefix,
                "BREWSTREAM_STANDBY_REPLICAS", "0",
                "BREWSTREAM_ORDER_REQUIRED_CHECKS", "PRICING,INVENTORY,FRAUD",
                "BREWSTREAM_FRAUD_WAIT_FOR_PAYMENT", "false"), stateDirectory, log);
    }

    StreamsProcess start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Brewstream.class.getName(), "streams", "--apps",
                String.join(",", apps))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        return this;
    }

    /** A crash: SIGKILL, and returns once the process is gone. */
    void kill() throws Exception {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the streams process " + process.pid() + " outlived SIGKILL");
        }
    }

    /** The exit code of the process that ended; -1 while it runs or before it started. */
    int exitCode() {
        return process == null || process.isAlive() ? -1 : process.exitValue();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Waits until it is ready, failing if it ends first. */
    void awaitReady(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!ready()) {
            if (!alive()) {
                throw new IllegalStateException("the streams process ended (exit " + process.exitValue() + "); see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the streams process was not ready within " + atMost + "; see " + log);
            }
            Thread.sleep(100);
        }
    }

    /** Its {@code /ready} answers 200: every application it runs is RUNNING. */
    boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        if (alive()) {
            process.destroy(); // a clean stop: it closes its applications and leaves the group
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}

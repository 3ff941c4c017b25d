package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.FreePorts;

/**
 * {@code standalone} killed with SIGKILL (no shutdown hook runs) takes its schema registry and its PostgreSQL with
 * it, and starts again on the same ports and data directory. Before lifelines, both kept running: the next start's
 * registry could not bind its port, yet the stack reported itself up on the orphan.
 */
class StandaloneKillIntegrationTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private Process stack;

    @TempDir
    Path dataDir;

    @AfterEach
    void tearDown() throws Exception {
        if (stack != null && stack.isAlive()) {
            stack.destroy(); // a clean stop: its shutdown closes everything it started
            if (!stack.waitFor(60, TimeUnit.SECONDS)) {
                stack.descendants().forEach(ProcessHandle::destroyForcibly);
                stack.destroyForcibly();
            }
        }
    }

    private Process start(Map<String, Integer> ports) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the registry distribution where the build unpacked it, as this JVM was told
        String registryHome = "-D" + io.brewstream.embedded.RegistryDistribution.HOME_PROPERTY + "="
                + System.getProperty(io.brewstream.embedded.RegistryDistribution.HOME_PROPERTY, "");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", registryHome, "-cp",
                System.getProperty("java.class.path"), Brewstream.class.getName(), "standalone", "--data-dir",
                dataDir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dataDir.resolveSibling(dataDir.getFileName() + "-stack.log").toFile()));
        ports.forEach((name, port) -> builder.environment().put(name, Integer.toString(port)));
        builder.environment().put("BREWSTREAM_HTTP_HOST", "127.0.0.1");
        return builder.start();
    }

    private boolean ready(int httpPort) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    private void awaitReady(Process process, int httpPort) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(process.isAlive()).as("the stack is still running (see its log next to the data directory)")
                    .isTrue();
            return ready(httpPort);
        });
    }

    @Test
    void aKilledStackLeavesNothingRunningAndStartsAgainOnTheSamePortsAndData() throws Exception {
        int http = FreePorts.next();
        int registry = FreePorts.next();
        int postgres = FreePorts.next();
        Map<String, Integer> ports = Map.of("BREWSTREAM_HTTP_PORT", http, "BREWSTREAM_KAFKA_PORT", FreePorts.next(),
                "BREWSTREAM_KAFKA_CONTROLLER_PORT", FreePorts.next(), "BREWSTREAM_REGISTRY_PORT", registry,
                "BREWSTREAM_POSTGRES_PORT", postgres);
        stack = start(ports);
        awaitReady(stack, http);

        // what it started: the registry (a child JVM) and PostgreSQL (a daemon, named by its cluster's lock file)
        List<ProcessHandle> registries = stack.descendants().filter(p -> p.info().arguments().map(List::of)
                .map(args -> args.stream().anyMatch(a -> a.contains("apicurio-registry"))).orElse(false)).toList();
        assertThat(registries).as("the registry runs as a child JVM").hasSize(1);
        long postgresPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/cluster/postmaster.pid")).get(0)
                .trim());
        ProcessHandle database = ProcessHandle.of(postgresPid).orElseThrow();

        stack.destroyForcibly(); // SIGKILL
        assertThat(stack.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(registries.get(0).onExit().get(30, TimeUnit.SECONDS).isAlive()).as("the registry").isFalse();
        assertThat(database.onExit().get(40, TimeUnit.SECONDS).isAlive()).as("PostgreSQL").isFalse();
        FreePorts.requireFree(registry, "the next registry");
        FreePorts.requireFree(postgres, "the next PostgreSQL");

        // the same ports and the same data directory: up again (nothing holds them)
        stack = start(ports);
        awaitReady(stack, http);
    }
}

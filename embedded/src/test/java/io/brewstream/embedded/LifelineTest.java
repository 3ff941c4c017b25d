package io.brewstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The servers a JVM starts never outlive it, however it ends: a JVM that is SIGKILLed takes its child process and its
 * PostgreSQL with it, and the next start on the same directories comes up; a PostgreSQL left running anyway (its
 * lifeline killed too) is stopped by the next start on its cluster.
 */
class LifelineTest {
    private Process jvm;

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        if (jvm != null) {
            jvm.descendants().forEach(ProcessHandle::destroyForcibly);
            jvm.destroyForcibly();
        }
    }

    /** The probe JVM's pids: the sleeper, PostgreSQL, and PostgreSQL's port. */
    private long[] startProbe() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LifelineProbe.class.getName(),
                dir.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    if (l.startsWith("pids ")) {
                        return l;
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(90, TimeUnit.SECONDS);
        assertThat(line).as("the probe printed its children's pids").isNotNull();
        String[] parts = line.split(" ");
        // keep draining its output so it never blocks on a full pipe
        CompletableFuture.runAsync(() -> {
            try {
                while (out.readLine() != null) {
                    // drained
                }
            } catch (java.io.IOException ignored) {
                // the probe is gone
            }
        });
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])};
    }

    private static boolean goneWithin(long pid, Duration atMost) throws Exception {
        var handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        try {
            handle.get().onExit().get(atMost.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException stillThere) {
            return false;
        }
    }

    @Test
    void aKilledJvmTakesItsChildAndItsPostgresWithItAndTheNextStartComesUp() throws Exception {
        long[] pids = startProbe();
        assertThat(ProcessHandle.of(pids[0])).isPresent();
        assertThat(ProcessHandle.of(pids[1])).isPresent();
        jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
        jvm.waitFor(10, TimeUnit.SECONDS);
        assertThat(goneWithin(pids[0], Duration.ofSeconds(10))).as("the child process").isTrue();
        assertThat(goneWithin(pids[1], Duration.ofSeconds(40))).as("PostgreSQL").isTrue();
        // the same cluster starts again (on the same port, which nothing holds any more)
        try (EmbeddedDatabase again = EmbeddedDatabase.persistent(dir.resolve("postgres"), (int) pids[2]).start()) {
            assertThat(again.createDatabase("after_kill")).endsWith(":" + pids[2] + "/after_kill");
        }
    }

    @Test
    void aPostgresLeftRunningOnTheClusterIsStoppedByTheNextStart() throws Exception {
        long[] pids = startProbe();
        // as if the lifeline had died with the JVM: kill the watchers first, then the JVM
        List<ProcessHandle> watchers = jvm.children().filter(p -> p.info().command().map(c -> c.endsWith("bash"))
                .orElse(false)).toList();
        assertThat(watchers).as("one lifeline for the child, one for PostgreSQL").hasSize(2);
        for (ProcessHandle watcher : watchers) {
            watcher.descendants().forEach(ProcessHandle::destroyForcibly);
            watcher.destroyForcibly();
            watcher.onExit().get(10, TimeUnit.SECONDS);
        }
        jvm.destroyForcibly();
        jvm.waitFor(10, TimeUnit.SECONDS);
        ProcessHandle.of(pids[0]).ifPresent(ProcessHandle::destroyForcibly); // the sleeper is this test's to end
        assertThat(ProcessHandle.of(pids[1]).map(ProcessHandle::isAlive)).as("PostgreSQL left running").contains(true);

        try (EmbeddedDatabase again = EmbeddedDatabase.persistent(dir.resolve("postgres"), 0).start()) {
            assertThat(goneWithin(pids[1], Duration.ofSeconds(1))).as("the orphan stopped").isTrue();
            assertThat(again.createDatabase("after_orphan")).contains("/after_orphan");
        }
    }

    @Test
    void aPortThatIsTakenIsNamedBeforeAServerTriesIt() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> FreePorts.requireFree(taken.getLocalPort(),
                    "the schema registry")).hasMessageContaining("127.0.0.1:" + taken.getLocalPort()
                    + " is taken, so the schema registry cannot listen there");
        }
    }
}

package io.brewstream.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A server this JVM starts as a child process (the schema registry, anvil): its output to a log file, readiness
 * awaited by probing it, stopped by its own pid on close (TERM, then KILL after a grace period), when this JVM exits
 * (a shutdown hook), and by its {@link Lifeline} when this JVM is killed, so it never outlives the process that
 * started it.
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path logFile;
    private final Duration grace;
    private Thread shutdownHook;
    private final Lifeline lifeline;

    private ChildProcess(String name, Process process, Path logFile, Duration grace) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.grace = grace;
        this.lifeline = Lifeline.watch(process.pid(), "TERM", grace);
        Process child = process;
        this.shutdownHook = new Thread(child::destroy, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * @param grace how long it may take to stop on TERM before it is killed
     */
    public static ChildProcess start(String name, List<String> command, File workDir, Path logFile, Duration grace)
            throws IOException {
        Process process = new ProcessBuilder(command).directory(workDir).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile())).start();
        return new ChildProcess(name, process, logFile, grace);
    }

    /** Probes until it answers; fails with its log's tail if it exits or is not ready in time. */
    public void awaitReady(Duration timeout, Callable<Boolean> ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                if (Boolean.TRUE.equals(ready.call())) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep probing until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            } catch (Exception e) {
                throw new IllegalStateException("probing " + name + " failed", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + tail());
    }

    /** The last 30 lines of its log. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public synchronized void close() {
        lifeline.close();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
            shutdownHook = null;
        }
    }
}

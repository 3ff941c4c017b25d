package io.brewstream.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A JVM for {@link LifelineTest} to kill: it starts a child process (a long sleep) and a persistent PostgreSQL in
 * the directory it is given, prints their pids, and waits to be killed.
 */
public final class LifelineProbe {
    private LifelineProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ChildProcess sleeper = ChildProcess.start("sleeper", List.of("sleep", "600"), dir.toFile(),
                dir.resolve("sleeper.log"), Duration.ofSeconds(2));
        EmbeddedDatabase database = EmbeddedDatabase.persistent(dir.resolve("postgres"), 0).start();
        long postgres = Long.parseLong(Files.readAllLines(dir.resolve("postgres").resolve("cluster")
                .resolve("postmaster.pid")).get(0).trim());
        System.out.println("pids " + sleeper.pid() + " " + postgres + " " + database.port());
        System.out.flush();
        Thread.sleep(600_000);
    }
}

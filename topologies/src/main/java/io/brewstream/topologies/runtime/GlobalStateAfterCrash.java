package io.brewstream.topologies.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global stores of an application that did not close cleanly are rebuilt from their topics.
 *
 * <p>Under exactly-once, a RocksDB store left open by a crash fails its next opening with "didn't find a valid
 * state, since under EOS it has the risk of getting uncommitted data in stores" (a {@code TaskCorruptedException},
 * KAFKA-20396). A task's store is then wiped and restored; the global thread does not handle it (KAFKA-21034,
 * unreleased): it dies, the application goes to ERROR, and every restart on the same state directory does the same.
 * A soak met it on the second SIGKILL in a row. So each application leaves a mark when it closes cleanly, and one
 * that starts without the mark deletes its global state directory first: global stores hold reference data and
 * stock levels, read again from their compacted topics in seconds.
 */
final class GlobalStateAfterCrash {
    private static final Logger log = LoggerFactory.getLogger(GlobalStateAfterCrash.class);

    private GlobalStateAfterCrash() {
    }

    /** Before the application is created: wipes its global state unless it last closed cleanly; forgets the mark. */
    static void prepare(Path stateDir, String applicationId) {
        Path global = stateDir.resolve(applicationId).resolve("global");
        Path mark = mark(stateDir, applicationId);
        try {
            if (Files.isDirectory(global) && !Files.exists(mark)) {
                log.warn("{}: did not close cleanly last time; its global stores are rebuilt from their topics "
                        + "(KAFKA-21034)", applicationId);
                deleteRecursively(global);
            }
            Files.deleteIfExists(mark); // from now on a crash leaves no mark
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the global state of " + applicationId + " in " + global, e);
        }
    }

    /** After a clean close: the next start may keep the global stores. */
    static void closedCleanly(Path stateDir, String applicationId) {
        try {
            Files.createDirectories(stateDir);
            Files.writeString(mark(stateDir, applicationId), "closed cleanly\n");
        } catch (IOException e) {
            log.warn("{}: could not mark the clean close; the next start rebuilds its global stores", applicationId, e);
        }
    }

    /** Next to the application's directory, not in it: Kafka Streams owns that one. */
    static Path mark(Path stateDir, String applicationId) {
        return stateDir.resolve(applicationId + ".closed-cleanly");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

package io.brewstream.embedded;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Ties a server process's life to this JVM's, however this JVM ends. A shutdown hook runs only on a normal exit; a
 * SIGKILL (an OOM killer, a crash, {@code kill -9}) would leave the registry, PostgreSQL or anvil running, holding
 * their ports and data directories against the next start. So a small watcher ({@code bash}) reads a pipe whose other
 * end only this JVM holds: the kernel closes it when this JVM ends in any way, the read ends, and the watcher stops
 * the server (the given signal, then KILL after the grace). The watcher checks the pid still names the same process
 * (its start time in {@code /proc}) before it signals, so a reused pid is never hit. A clean close releases the watcher
 * without a signal, and the caller stops the server as it always did.
 */
public final class Lifeline implements AutoCloseable {
    /** $1 pid, $2 signal, $3 grace in tenths of a second. */
    private static final String WATCHER = """
            pid=$1; signal=$2; grace=$3
            started() { [ -r /proc/$pid/stat ] && sed 's/^.*) //' /proc/$pid/stat | cut -d' ' -f20; }
            birth=$(started)
            cat >/dev/null
            [ -z "$birth" ] || [ "$(started)" = "$birth" ] || exit 0
            kill -s "$signal" "$pid" 2>/dev/null || exit 0
            n=0
            while kill -0 "$pid" 2>/dev/null && [ $n -lt "$grace" ]; do sleep 0.1; n=$((n+1)); done
            kill -s KILL "$pid" 2>/dev/null
            exit 0
            """;
    private final Process watcher;

    private Lifeline(Process watcher) {
        this.watcher = watcher;
    }

    /**
     * Watches {@code pid}: when this JVM ends without closing the lifeline, the process gets {@code signal} (TERM for
     * most servers; INT is PostgreSQL's fast shutdown), then KILL after {@code grace}.
     */
    public static Lifeline watch(long pid, String signal, Duration grace) {
        try {
            Process watcher = new ProcessBuilder(List.of("bash", "-c", WATCHER, "lifeline-" + pid, Long.toString(pid),
                    signal, Long.toString(Math.max(1, grace.toMillis() / 100))))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start(); // its standard input stays a pipe from this JVM: the line itself
            return new Lifeline(watcher);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the lifeline watcher for pid " + pid + " (bash needed)", e);
        }
    }

    public long watcherPid() {
        return watcher.pid();
    }

    /** Lets go without a signal: the caller stops the server itself. */
    @Override
    public void close() {
        // KILL, which runs no trap and reaches no kill line; its cat first, or cat would read on and then end
        watcher.descendants().forEach(ProcessHandle::destroyForcibly);
        watcher.destroyForcibly();
        try {
            watcher.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed with the process
        }
    }
}

package io.brewstream.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds free TCP ports on the loopback interface for servers that start a while later. They are picked at random
 * below the ephemeral range (Linux hands out 32768-60999, macOS and Windows 49152-65535) and never twice in one
 * JVM: a port the system picked (port 0) comes from the range every outgoing connection takes its local port from,
 * so in a JVM with hundreds of Kafka connections one was taken before its server bound it (seen in the full suite:
 * "Port already in use" for a port handed out 20 s earlier).
 */
public final class FreePorts {
    private static final int FROM = 20_000;
    private static final int TO = 32_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = random.nextInt(FROM, TO);
            if (bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort(); // a loopback this busy is unusual: the system's pick, then
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /**
     * Fails, naming who wanted it, when a loopback port is taken: a server started on it would fail to bind, and a
     * probe of the port would find whoever holds it (a server left running by a stack that was killed) and call it up.
     */
    public static void requireFree(int port, String forWhat) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new IllegalStateException("127.0.0.1:" + port + " is taken, so " + forWhat + " cannot listen there (is"
                    + " another stack, or a server it left running, still there?)", e);
        }
    }

    /** The given port, or a free one when it is 0. */
    public static int orFree(int port) {
        return port == 0 ? next() : port;
    }
}

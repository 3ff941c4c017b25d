package io.brewstream.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a server process alive until the JVM is asked to stop, then closes what it started; or, when something it
 * runs is dead for good (a streams application in ERROR), closes it all and exits with {@link #DEAD_FOR_GOOD}, so a
 * supervisor (systemd, Kubernetes, compose's restart policy) restarts it rather than find it answering /health.
 */
final class Shutdown {
    /** EX_SOFTWARE: an internal error the process cannot recover from. */
    static final int DEAD_FOR_GOOD = 70;

    private Shutdown() {
    }

    static void awaitThenClose(AutoCloseable running) throws InterruptedException {
        awaitThenClose(running, new CompletableFuture<>());
    }

    static void awaitThenClose(AutoCloseable running, CompletableFuture<String> deadForGood) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "brewstream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        deadForGood.thenAccept(why -> {
            System.err.println("brewstream: " + why + "; stopping with exit code " + DEAD_FOR_GOOD);
            // the hook closes everything on the way out (System.exit runs the shutdown hooks)
            new Thread(() -> System.exit(DEAD_FOR_GOOD), "brewstream-dead-for-good").start();
        });
        stopped.await();
    }
}

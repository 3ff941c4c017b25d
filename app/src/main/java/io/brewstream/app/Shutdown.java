package io.brewstream.app;

import java.util.concurrent.CountDownLatch;

/** Keeps a server process alive until the JVM is asked to stop, then closes what it started. */
final class Shutdown {
    private Shutdown() {
    }

    static void awaitThenClose(AutoCloseable running) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "brewstream-shutdown"));
        stopped.await();
    }
}

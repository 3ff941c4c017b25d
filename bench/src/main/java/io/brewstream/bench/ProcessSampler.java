package io.brewstream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples this process's CPU (percent of one core), heap and resident memory every half second. */
public final class ProcessSampler implements AutoCloseable {
    /** Average CPU in percent of one core; the largest heap and resident set seen, in MiB. */
    public record Usage(double cpuPercent, double maxHeapMb, double maxRssMb) {
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-sampler");
        t.setDaemon(true);
        return t;
    });
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final long startCpuNanos = os.getProcessCpuTime();
    private final long startNanos = System.nanoTime();
    private volatile double maxHeapMb;
    private volatile double maxRssMb;

    public ProcessSampler() {
        timer.scheduleAtFixedRate(this::sample, 0, 500, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        maxHeapMb = Math.max(maxHeapMb, heap);
        maxRssMb = Math.max(maxRssMb, rssMb());
    }

    public Usage usage() {
        sample();
        double cpu = (os.getProcessCpuTime() - startCpuNanos) * 100.0 / Math.max(1, System.nanoTime() - startNanos);
        return new Usage(cpu, maxHeapMb, maxRssMb);
    }

    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package io.brewstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What one benchmark saw: each completion's latency (HdrHistogram, microseconds), completions per second, errors
 * by kind.
 */
public final class Measurement {
    /** Sent, but neither completed nor failed when the run ended. */
    static final String UNFINISHED = "unfinished when the run ended";
    private final String name;
    private final long startNanos = System.nanoTime();
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final ConcurrentHashMap<Long, LongAdder> completionsPerSecond = new ConcurrentHashMap<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private volatile long lastCompletionNanos;

    public Measurement(String name) {
        this.name = name;
    }

    public void sent() {
        sent.increment();
    }

    public void completed(long sentNanos) {
        long now = System.nanoTime();
        latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(),
                Math.max(0, TimeUnit.NANOSECONDS.toMicros(now - sentNanos))));
        completionsPerSecond.computeIfAbsent(TimeUnit.NANOSECONDS.toSeconds(now - startNanos), s -> new LongAdder())
                .increment();
        completed.increment();
        lastCompletionNanos = now;
    }

    /** An order or record that will not complete, and why ("expired", "HTTP 503", ...). */
    public void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public long completedCount() {
        return completed.sum();
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long sentCount() {
        return sent.sum();
    }

    /** The figures, throughput over the time from the first send to the last completion. */
    public BenchResult result(ProcessSampler.Usage usage) {
        Histogram h = latencyMicros.copy();
        long last = lastCompletionNanos == 0 ? System.nanoTime() : lastCompletionNanos;
        double seconds = Math.max(1e-3, (last - startNanos) / 1e9);
        List<Long> timeline = new ArrayList<>();
        long maxSecond = completionsPerSecond.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
        for (long s = 0; s <= maxSecond; s++) {
            LongAdder count = completionsPerSecond.get(s);
            timeline.add(count == null ? 0 : count.sum());
        }
        Map<String, Long> errorsByKind = new TreeMap<>();
        errors.forEach((kind, count) -> errorsByKind.put(kind, count.sum()));
        long unfinished = sent.sum() - completed.sum() - errorsByKind.values().stream().mapToLong(Long::longValue).sum();
        if (unfinished > 0) {
            errorsByKind.put(UNFINISHED, unfinished);
        }
        long errorCount = errorsByKind.values().stream().mapToLong(Long::longValue).sum();
        return new BenchResult(name, sent.sum(), completed.sum(), errorCount, errorsByKind, seconds,
                completed.sum() / seconds,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)), ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()), percentiles(h), timeline, usage.cpuPercent(), usage.maxHeapMb(), usage.maxRssMb(), null, Map.of());
    }

    private static List<double[]> percentiles(Histogram h) {
        List<double[]> points = new ArrayList<>();
        for (double p : new double[] {1, 5, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100}) {
            points.add(new double[] {p, ms(h.getValueAtPercentile(p))});
        }
        return points;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}

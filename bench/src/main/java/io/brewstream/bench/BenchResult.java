package io.brewstream.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one benchmark run. Latencies in milliseconds; throughput in completions per second over the time
 * from the first send to the last completion; {@code ratioToRawPipe} is throughput divided by the raw pipe's;
 * {@code errorsByKind} counts the errors by what went wrong; {@code writesPerCompletion} is what the run wrote to
 * the broker per completion, by topic, with the total.
 */
public record BenchResult(
        String name,
        long sent,
        long completed,
        long errors,
        Map<String, Long> errorsByKind,
        double seconds,
        double throughputPerSecond,
        double p50Ms,
        double p95Ms,
        double p99Ms,
        double maxMs,
        List<double[]> latencyPercentiles,
        List<Long> completionsPerSecond,
        double cpuPercent,
        double maxHeapMb,
        double maxRssMb,
        Double ratioToRawPipe,
        Map<String, Double> writesPerCompletion) {

    public BenchResult withRatioTo(BenchResult rawPipe) {
        return new BenchResult(name, sent, completed, errors, errorsByKind, seconds, throughputPerSecond, p50Ms, p95Ms,
                p99Ms, maxMs, latencyPercentiles, completionsPerSecond, cpuPercent, maxHeapMb, maxRssMb,
                rawPipe.throughputPerSecond() == 0 ? null : throughputPerSecond / rawPipe.throughputPerSecond(),
                writesPerCompletion);
    }

    /** With what the run wrote to the broker per completion ({@link TopicWrites#perCompletion}). */
    public BenchResult withWrites(Map<String, Double> writes) {
        return new BenchResult(name, sent, completed, errors, errorsByKind, seconds, throughputPerSecond, p50Ms, p95Ms,
                p99Ms, maxMs, latencyPercentiles, completionsPerSecond, cpuPercent, maxHeapMb, maxRssMb, ratioToRawPipe,
                Collections.unmodifiableMap(new LinkedHashMap<>(writes)));
    }
}

package io.brewstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Writes a run's figures to a directory: report.json (every figure), report.md, latency.png, throughput.png. */
public final class BenchReport {
    private BenchReport() {
    }

    /** @param rawPipe the raw pipe's result, to which every result gets its ratio; null when the run had none */
    public static List<BenchResult> write(Path dir, Map<String, Object> machine, Map<String, Object> settings,
            BenchResult rawPipe, List<BenchResult> results) throws IOException {
        return write(dir, machine, settings, rawPipe, results, Map.of());
    }

    /** @param findings figures that are not a run's timing (the arbitrage run's accuracy), by name */
    public static List<BenchResult> write(Path dir, Map<String, Object> machine, Map<String, Object> settings,
            BenchResult rawPipe, List<BenchResult> results, Map<String, Object> findings) throws IOException {
        Files.createDirectories(dir);
        List<BenchResult> rated = rawPipe == null ? results : results.stream().map(r -> r.withRatioTo(rawPipe)).toList();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", Instant.now().toString());
        json.put("machine", machine);
        json.put("settings", settings);
        json.put("results", rated);
        json.put("findings", findings);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("report.json").toFile(), json);
        String md = markdown(machine, settings, rated);
        if (!findings.isEmpty()) {
            ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            StringBuilder more = new StringBuilder("\n## Findings\n\n");
            for (Map.Entry<String, Object> f : findings.entrySet()) {
                more.append("### ").append(f.getKey()).append("\n\n```json\n")
                        .append(pretty.writeValueAsString(f.getValue())).append("\n```\n\n");
            }
            md = md + more;
        }
        Files.writeString(dir.resolve("report.md"), md);
        latencyChart(rated, dir.resolve("latency.png"));
        throughputChart(rated, dir.resolve("throughput.png"));
        return rated;
    }

    static String markdown(Map<String, Object> machine, Map<String, Object> settings, List<BenchResult> results) {
        StringBuilder md = new StringBuilder("# brewstream benchmark\n\n");
        md.append("Machine: ").append(machine).append("  \nSettings: ").append(settings).append("\n\n");
        md.append("| run | sent | completed | errors | throughput/s | x raw pipe | p50 ms | p95 ms | p99 ms | max ms | CPU % of a core | heap MiB | RSS MiB |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.0f | %s | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f |%n",
                    r.name(), r.sent(), r.completed(), r.errors(), r.throughputPerSecond(),
                    r.ratioToRawPipe() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.ratioToRawPipe()),
                    r.p50Ms(), r.p95Ms(), r.p99Ms(), r.maxMs(), r.cpuPercent(), r.maxHeapMb(), r.maxRssMb()));
        }
        String errors = results.stream().filter(r -> r.errors() > 0).map(r -> "- " + r.name() + ": "
                + r.errorsByKind().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "))).collect(Collectors.joining("\n"));
        if (!errors.isEmpty()) {
            md.append("\nErrors by kind:\n\n").append(errors).append('\n');
        }
        md.append("\nWritten to the broker per completion (records and transaction markers, by topic; the largest ten):\n\n");
        for (BenchResult r : results) {
            md.append("- ").append(r.name()).append(": ").append(r.writesPerCompletion().entrySet().stream().limit(11)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        }
        md.append("\n![latency](latency.png)\n\n![throughput](throughput.png)\n");
        return md.toString();
    }

    private static void latencyChart(List<BenchResult> results, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Latency by percentile")
                .xAxisTitle("percentile").yAxisTitle("ms").build();
        chart.getStyler().setYAxisLogarithmic(true);
        for (BenchResult r : results) {
            if (r.latencyPercentiles().isEmpty()) {
                continue; // a throughput-only run
            }
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (double[] point : r.latencyPercentiles()) {
                x.add(point[0]);
                y.add(Math.max(0.01, point[1]));
            }
            chart.addSeries(r.name(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void throughputChart(List<BenchResult> results, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Completions per second")
                .xAxisTitle("second of the run").yAxisTitle("completions").build();
        for (BenchResult r : results) {
            List<Integer> x = new ArrayList<>();
            List<Long> y = new ArrayList<>();
            for (int s = 0; s < r.completionsPerSecond().size(); s++) {
                x.add(s);
                y.add(r.completionsPerSecond().get(s));
            }
            if (x.isEmpty()) {
                x.add(0);
                y.add(0L);
            }
            chart.addSeries(r.name(), x, y).setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}

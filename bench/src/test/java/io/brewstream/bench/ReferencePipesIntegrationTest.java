package io.brewstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;

/** The reference pipes on a real broker, a small run, and the report they make. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class ReferencePipesIntegrationTest {

    @Test
    void bothPipesDeliverEveryRecordAndTheReportHoldsTheirFigures(EmbeddedInfrastructure infra, @TempDir Path dir)
            throws Exception {
        ReferencePipes pipes = new ReferencePipes(infra.bootstrapServers(), 3, dir.resolve("state"));
        BenchResult raw = pipes.rawPipe(200, 2_000, 1_000, Duration.ofSeconds(60));
        BenchResult eos = pipes.exactlyOnceHop(200, 2_000, 1_000, Duration.ofMillis(100), Duration.ofSeconds(60));

        assertThat(raw.completed()).isEqualTo(2_000);
        assertThat(eos.completed()).isEqualTo(2_000);
        assertThat(raw.errors() + eos.errors()).isZero();
        assertThat(eos.p50Ms()).as("an exactly-once hop waits for its commit").isGreaterThan(raw.p50Ms());
        assertThat(raw.p99Ms()).isGreaterThanOrEqualTo(raw.p50Ms());

        List<BenchResult> rated = BenchReport.write(dir.resolve("report"), Map.of("cores", 2), Map.of("recordBytes", 200),
                raw, List.of(raw, eos));
        assertThat(rated.get(0).ratioToRawPipe()).isEqualTo(1.0);
        assertThat(rated.get(1).ratioToRawPipe()).isPositive();
        assertThat(Files.readString(dir.resolve("report/report.md"))).contains("one-hop exactly-once topology");
        assertThat(Files.readString(dir.resolve("report/report.json"))).contains("\"p99Ms\"");
        assertThat(raw.writesPerCompletion().get("total")).as("one record per completion, nothing else")
                .isGreaterThanOrEqualTo(1.0).isLessThan(1.5);
        assertThat(eos.writesPerCompletion().get("total")).as("input, output, transaction markers and offsets")
                .isGreaterThan(raw.writesPerCompletion().get("total"));
        assertThat(Files.size(dir.resolve("report/latency.png"))).isGreaterThan(1_000);
        assertThat(Files.size(dir.resolve("report/throughput.png"))).isGreaterThan(1_000);
    }
}

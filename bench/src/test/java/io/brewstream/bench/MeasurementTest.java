package io.brewstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MeasurementTest {

    @Test
    void errorsAreCountedByKindAndWhatNeverFinishedIsAKindOfItsOwn() {
        Measurement measurement = new Measurement("orders");
        for (int i = 0; i < 6; i++) {
            measurement.sent();
        }
        measurement.completed(System.nanoTime());
        measurement.error("expired");
        measurement.error("rejected by fraud");
        measurement.error("expired");

        BenchResult result = measurement.result(new ProcessSampler.Usage(0, 0, 0));

        assertThat(result.completed()).isEqualTo(1);
        assertThat(result.errorsByKind()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "expired", 2L, "rejected by fraud", 1L, Measurement.UNFINISHED, 2L));
        assertThat(result.errors()).isEqualTo(5);
        assertThat(BenchReport.markdown(Map.of(), Map.of(), List.of(result)))
                .contains("- orders: expired 2, rejected by fraud 1, " + Measurement.UNFINISHED + " 2");
    }
}

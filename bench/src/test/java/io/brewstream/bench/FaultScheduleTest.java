package io.brewstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class FaultScheduleTest {
    @Test
    void tenKillsABrokerRestartAndAnOutageInHalfAnHourKeepTheirDistanceAndComeInOrder() {
        Duration run = Duration.ofMinutes(30);
        Duration spacing = Duration.ofSeconds(45);
        List<FaultSchedule.Fault> faults = FaultSchedule.plan(run, 10, Duration.ofSeconds(90), 1, spacing, 7);

        assertThat(faults).filteredOn(f -> f.kind() == FaultSchedule.Kind.KILL_STREAMS).hasSize(10);
        assertThat(faults).filteredOn(f -> f.kind() == FaultSchedule.Kind.RESTART_BROKER).hasSize(1);
        FaultSchedule.Fault outage = faults.stream().filter(f -> f.kind() == FaultSchedule.Kind.REGISTRY_OUTAGE)
                .findFirst().orElseThrow();
        assertThat(outage.at()).isEqualTo(Duration.ofMinutes(15).minusSeconds(45));
        for (int i = 1; i < faults.size(); i++) {
            FaultSchedule.Fault before = faults.get(i - 1);
            assertThat(faults.get(i).at()).isGreaterThan(before.at().plus(before.lasting()).plus(spacing));
        }
        assertThat(faults.get(0).at()).isGreaterThanOrEqualTo(Duration.ofMinutes(3));
        assertThat(faults.get(faults.size() - 1).at()).isLessThan(Duration.ofMinutes(27));
        assertThat(FaultSchedule.plan(run, 10, Duration.ofSeconds(90), 1, spacing, 7)).as("the same seed, the same plan")
                .isEqualTo(faults);
    }

    @Test
    void killsThatCannotFitAreRefusedWithWhy() {
        assertThatThrownBy(() -> FaultSchedule.plan(Duration.ofMinutes(1), 10, Duration.ZERO, 0, Duration.ofSeconds(30), 1))
                .hasMessageContaining("10 kills 30 s apart do not fit in 60 s");
        assertThatThrownBy(() -> FaultSchedule.plan(Duration.ofMinutes(1), 0, Duration.ZERO, 3, Duration.ofSeconds(30), 1))
                .hasMessageContaining("3 broker restarts 30 s apart do not fit in 60 s");
    }
}

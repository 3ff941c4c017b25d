package io.brewstream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When the soak's faults strike, from a seed: one registry outage in the middle of the run, and the broker restarts
 * and the process kills at random moments between 10 % and 90 % of it, each at least {@code spacing} from the others
 * and from the outage (a kill during the outage would test a start without the registry, which is not the point of
 * either; a kill while the broker is away would measure the broker's absence, not the kill's recovery).
 */
public final class FaultSchedule {
    /** What happens at a moment of the run. */
    public enum Kind { KILL_STREAMS, RESTART_BROKER, REGISTRY_OUTAGE }

    /** A fault at {@code at} from the run's start, lasting {@code lasting} (zero for a kill or a restart). */
    public record Fault(Duration at, Kind kind, Duration lasting) {
    }

    private FaultSchedule() {
    }

    public static List<Fault> plan(Duration run, int kills, Duration registryOutage, int brokerRestarts, Duration spacing,
            long seed) {
        List<Fault> faults = new ArrayList<>();
        Duration outageStart = run.dividedBy(2).minus(registryOutage.dividedBy(2));
        if (!registryOutage.isZero()) {
            faults.add(new Fault(outageStart, Kind.REGISTRY_OUTAGE, registryOutage));
        }
        SplittableRandom random = new SplittableRandom(seed);
        place(faults, Kind.RESTART_BROKER, brokerRestarts, run, spacing, random, "broker restarts");
        place(faults, Kind.KILL_STREAMS, kills, run, spacing, random, "kills");
        faults.sort(Comparator.comparing(Fault::at));
        return faults;
    }

    private static void place(List<Fault> faults, Kind kind, int count, Duration run, Duration spacing,
            SplittableRandom random, String what) {
        long from = run.toMillis() / 10;
        long to = run.toMillis() * 9 / 10;
        for (int placed = 0, attempt = 0; placed < count; attempt++) {
            if (attempt > 100_000) {
                throw new IllegalArgumentException(count + " " + what + " " + spacing.toSeconds()
                        + " s apart do not fit in " + run.toSeconds() + " s with the other faults");
            }
            Duration at = Duration.ofMillis(random.nextLong(from, to));
            if (faults.stream().allMatch(f -> clear(at, f, spacing))) {
                faults.add(new Fault(at, kind, Duration.ZERO));
                placed++;
            }
        }
    }

    private static boolean clear(Duration at, Fault other, Duration spacing) {
        Duration start = other.at().minus(spacing);
        Duration end = other.at().plus(other.lasting()).plus(spacing);
        return at.compareTo(start) < 0 || at.compareTo(end) > 0;
    }
}

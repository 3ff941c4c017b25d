package io.brewstream.connectors.agents;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Barista shifts from the last weeks' orders per hour. Each hour of the week needs
 * {@code ceil(average orders that hour / ordersPerBaristaHour)} baristas, at least one in any hour that had orders.
 * The need is cut into layers (the first barista, the second, ...); each layer's runs of hours become shifts of
 * {@code minShift} to {@code maxShift} hours (a run too short is lengthened into the hours after it, a run too long
 * split evenly). Pure: the history is folded by {@link OrdersByHour}.
 *
 * @param ordersPerBaristaHour how many orders one barista makes in an hour
 * @param minShiftHours        the shortest shift worth coming in for
 * @param maxShiftHours        the longest shift
 */
public record ShiftPlanner(int ordersPerBaristaHour, int minShiftHours, int maxShiftHours) {
    public static ShiftPlanner defaults() {
        return new ShiftPlanner(30, 4, 8);
    }

    public ShiftPlanner {
        if (ordersPerBaristaHour < 1 || minShiftHours < 1 || maxShiftHours < minShiftHours || maxShiftHours > 24) {
            throw new IllegalArgumentException("shifts need 1 <= minShift <= maxShift <= 24 and a barista's rate >= 1");
        }
    }

    /** One shift: the day, from and to (local hours, end exclusive), and which barista of that day's layers it is. */
    public record Shift(DayOfWeek day, int fromHour, int toHour, int barista) {
        public int hours() {
            return toHour - fromHour;
        }
    }

    /** The plan: baristas needed per day and hour, the shifts, and their hours in all. */
    public record Plan(Map<DayOfWeek, int[]> need, List<Shift> shifts, int weeksSeen) {
        public int baristaHours() {
            return shifts.stream().mapToInt(Shift::hours).sum();
        }
    }

    public Plan plan(OrdersByHour history) {
        Map<DayOfWeek, int[]> need = new TreeMap<>();
        List<Shift> shifts = new ArrayList<>();
        int weeks = Math.max(1, history.weeksSeen());
        for (DayOfWeek day : DayOfWeek.values()) {
            int[] baristas = new int[24];
            long[] orders = history.orders(day);
            for (int hour = 0; hour < 24; hour++) {
                double average = orders[hour] / (double) weeks;
                baristas[hour] = orders[hour] == 0 ? 0 : Math.max(1, (int) Math.ceil(average / ordersPerBaristaHour));
            }
            need.put(day, baristas);
            int most = java.util.Arrays.stream(baristas).max().orElse(0);
            for (int layer = 1; layer <= most; layer++) {
                int hour = 0;
                while (hour < 24) {
                    if (baristas[hour] < layer) {
                        hour++;
                        continue;
                    }
                    int from = hour;
                    while (hour < 24 && baristas[hour] >= layer) {
                        hour++;
                    }
                    shifts.addAll(cut(day, from, hour, layer));
                }
            }
        }
        return new Plan(need, List.copyOf(shifts), history.weeksSeen());
    }

    /** One run of needed hours as shifts: lengthened to the shortest shift, split evenly into the longest. */
    private List<Shift> cut(DayOfWeek day, int from, int to, int layer) {
        int length = to - from;
        if (length < minShiftHours) {
            int end = Math.min(24, from + minShiftHours);
            return List.of(new Shift(day, Math.max(0, end - minShiftHours), end, layer));
        }
        int count = (length + maxShiftHours - 1) / maxShiftHours;
        List<Shift> out = new ArrayList<>();
        int start = from;
        for (int i = 0; i < count; i++) {
            int size = length / count + (i < length % count ? 1 : 0);
            out.add(new Shift(day, start, start + size, layer));
            start += size;
        }
        return out;
    }

    /**
     * Orders placed per shop, week, day and local hour, over a sliding number of weeks: the scheduler's fold of
     * {@code orders.events}. Not thread-safe; the caller holds it.
     */
    public static final class OrdersByHour {
        /** Monday of each week seen → 7 x 24 counts. */
        private final TreeMap<LocalDate, long[]> weeks = new TreeMap<>();
        private final int keepWeeks;

        public OrdersByHour(int keepWeeks) {
            this.keepWeeks = keepWeeks;
        }

        public void placed(Instant at, ZoneId zone) {
            ZonedDateTime local = at.atZone(zone);
            LocalDate monday = local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            weeks.computeIfAbsent(monday, m -> new long[7 * 24])[(local.getDayOfWeek().getValue() - 1) * 24
                    + local.getHour()]++;
            while (weeks.size() > keepWeeks) {
                weeks.pollFirstEntry();
            }
        }

        /** The orders in each hour of the day, summed over the weeks kept. */
        public long[] orders(DayOfWeek day) {
            long[] sum = new long[24];
            for (long[] week : weeks.values()) {
                for (int hour = 0; hour < 24; hour++) {
                    sum[hour] += week[(day.getValue() - 1) * 24 + hour];
                }
            }
            return sum;
        }

        public int weeksSeen() {
            return weeks.size();
        }
    }
}

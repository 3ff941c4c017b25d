package io.brewstream.connectors.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

class ShiftPlannerTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final ShiftPlanner planner = new ShiftPlanner(30, 4, 8);

    /** {@code orders} orders placed in each of the hours {@code from} to {@code to} of a Monday, {@code weeks} weeks. */
    private static void mondays(ShiftPlanner.OrdersByHour history, int weeks, int from, int to, int orders) {
        for (int week = 0; week < weeks; week++) {
            ZonedDateTime monday = ZonedDateTime.of(2026, 11, 2, 0, 0, 0, 0, BERLIN).plusWeeks(week);
            for (int hour = from; hour < to; hour++) {
                for (int i = 0; i < orders; i++) {
                    history.placed(monday.plusHours(hour).plusMinutes(i % 60).toInstant(), BERLIN);
                }
            }
        }
    }

    @Test
    void eachHourGetsTheBaristasItsAverageOrdersNeedAsLayersOfShifts() {
        ShiftPlanner.OrdersByHour history = new ShiftPlanner.OrdersByHour(4);
        mondays(history, 4, 7, 19, 20); // 20 an hour from 07 to 19: one barista
        mondays(history, 4, 8, 10, 25); // +25 at 08-10: 45 an hour, two baristas
        ShiftPlanner.Plan plan = planner.plan(history);
        assertThat(plan.weeksSeen()).isEqualTo(4);
        assertThat(plan.need().get(DayOfWeek.MONDAY)[7]).isEqualTo(1);
        assertThat(plan.need().get(DayOfWeek.MONDAY)[9]).isEqualTo(2);
        assertThat(plan.need().get(DayOfWeek.MONDAY)[19]).isZero();
        // the first barista's 12 hours as two shifts of six; the second's 2-hour rush lengthened to four
        assertThat(plan.shifts()).containsExactly(
                new ShiftPlanner.Shift(DayOfWeek.MONDAY, 7, 13, 1), new ShiftPlanner.Shift(DayOfWeek.MONDAY, 13, 19, 1),
                new ShiftPlanner.Shift(DayOfWeek.MONDAY, 8, 12, 2));
        assertThat(plan.baristaHours()).isEqualTo(16);
    }

    @Test
    void hoursAreTheShopsLocalOnesAndOnlyTheLastWeeksCount() {
        ShiftPlanner.OrdersByHour history = new ShiftPlanner.OrdersByHour(2);
        // 07:30 UTC on a winter Monday is 08:30 in Berlin
        history.placed(Instant.parse("2026-11-02T07:30:00Z"), BERLIN);
        assertThat(history.orders(DayOfWeek.MONDAY)[8]).isEqualTo(1);
        history.placed(Instant.parse("2026-11-09T07:30:00Z"), BERLIN);
        history.placed(Instant.parse("2026-11-16T07:30:00Z"), BERLIN);
        assertThat(history.weeksSeen()).isEqualTo(2);
        assertThat(history.orders(DayOfWeek.MONDAY)[8]).as("the oldest week dropped").isEqualTo(2);
        // a late shift near midnight is not pushed past the day's end
        ShiftPlanner.OrdersByHour late = new ShiftPlanner.OrdersByHour(1);
        late.placed(Instant.parse("2026-11-02T22:10:00Z"), BERLIN); // 23:10 local
        assertThat(planner.plan(late).shifts()).containsExactly(new ShiftPlanner.Shift(DayOfWeek.MONDAY, 20, 24, 1));
    }
}

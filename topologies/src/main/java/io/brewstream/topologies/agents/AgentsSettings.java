package io.brewstream.topologies.agents;

import java.time.Duration;

/**
 * How the router treats tasks and agents.
 *
 * @param defaultDeadline       a task submitted without a deadline FAILS this long after submission
 * @param attemptTimeout        how long one agent may hold a task, where the submission does not say
 * @param maxAttempts           the most agents tried, where the submission does not say
 * @param missedHeartbeats      an agent that missed this many heartbeats is DOWN
 * @param retryBackoff          the first pause before a timed-out task goes to another agent; doubled each time
 * @param maxRetryBackoff       the longest pause
 * @param checkInterval         how often the wall clock is looked at (deadlines, timeouts, silent agents)
 * @param finishedRetention     how long a finished task (and its idempotency key) stays readable, then is forgotten
 */
public record AgentsSettings(Duration defaultDeadline, Duration attemptTimeout, int maxAttempts, int missedHeartbeats,
        Duration retryBackoff, Duration maxRetryBackoff, Duration checkInterval, Duration finishedRetention) {

    public AgentsSettings {
        if (maxAttempts < 1 || missedHeartbeats < 1) {
            throw new IllegalArgumentException("at least one attempt and one heartbeat");
        }
    }

    public static AgentsSettings defaults() {
        return new AgentsSettings(Duration.ofMinutes(5), Duration.ofSeconds(30), 3, 3, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofHours(24));
    }

    /** The pause before attempt {@code attempt} (from 2). */
    Duration backoffBefore(int attempt) {
        Duration pause = retryBackoff.multipliedBy(1L << Math.min(20, Math.max(0, attempt - 2)));
        return pause.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : pause;
    }
}

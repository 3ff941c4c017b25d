package io.brewstream.topologies.runtime;

import java.time.Duration;

import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * A wall-clock punctuation scheduled only while there is something for it to do. Kafka Streams commits a task after
 * every punctuation, even one that changed nothing, and under exactly-once a commit is a transaction (offsets,
 * markers, the coordinator's log): a punctuation every 250 ms on each of a dozen idle tasks writes to the broker
 * all day for nothing.
 */
public final class OnDemandPunctuation {
    private final ProcessorContext<?, ?> context;
    private final Duration interval;
    private final Punctuator punctuator;
    private Cancellable scheduled;

    public OnDemandPunctuation(ProcessorContext<?, ?> context, Duration interval, Punctuator punctuator) {
        this.context = context;
        this.interval = interval;
        this.punctuator = punctuator;
    }

    /** Scheduled while {@code needed}, cancelled when not. */
    public void neededWhile(boolean needed) {
        if (needed && scheduled == null) {
            scheduled = context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, punctuator);
        } else if (!needed && scheduled != null) {
            scheduled.cancel();
            scheduled = null;
        }
    }
}

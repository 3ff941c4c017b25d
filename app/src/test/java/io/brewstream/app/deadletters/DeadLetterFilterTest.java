package io.brewstream.app.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.brewstream.schemas.common.DeadLetter;

class DeadLetterFilterTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00.123Z");

    private static DeadLetter letter(String topic, String reason, String exception, Instant at) {
        return DeadLetter.newBuilder().setSourceTopic(topic).setReason(reason).setExceptionClass(exception)
                .setApplication("brewstream-orders").setFailedAt(at).build();
    }

    @Test
    void aFilterSelectsByTopicReasonOrExceptionApplicationAndTimeToTheMillisecond() {
        DeadLetter l = letter("orders.commands", "Error deserializing key/value", "org.apache.kafka.common.errors"
                + ".SerializationException", T0);
        assertThat(DeadLetterFilter.ALL.test(l)).isTrue();
        assertThat(new DeadLetterFilter(Optional.of("orders.commands"), Optional.of("DESERIALIZING"),
                Optional.of("brewstream-orders"), Optional.empty(), Optional.empty()).test(l)).isTrue();
        assertThat(new DeadLetterFilter(Optional.empty(), Optional.of("serializationexception"), Optional.empty(),
                Optional.empty(), Optional.empty()).test(l)).as("by the exception too").isTrue();
        assertThat(new DeadLetterFilter(Optional.of("bots.feedback"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty()).test(l)).isFalse();
        // since is inclusive and compared to the millisecond the dead letter keeps; until is exclusive
        assertThat(new DeadLetterFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(T0.plusNanos(900_000)), Optional.empty()).test(l)).isTrue();
        assertThat(new DeadLetterFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(T0)).test(l)).isFalse();
    }

    @Test
    void aReasonLabelIsTheExceptionsNameOrTheReasonsHeadWithDigitsFolded() {
        assertThat(DeadLetterFilter.reasonLabel(letter("t", "x", "org.apache.kafka.common.errors.SerializationException",
                T0))).isEqualTo("SerializationException");
        assertThat(DeadLetterFilter.reasonLabel(letter("t", "order 7 could not be processed: schema 9 unknown", null,
                T0))).isEqualTo("order # could not be processed");
        assertThat(DeadLetterFilter.reasonLabel(letter("t", "its deadline 2026-12-06T10:00:00Z passed", null, T0)))
                .as("no colon before the digits end: all of it, digits folded").isEqualTo("its deadline #-#-#T#");
    }
}

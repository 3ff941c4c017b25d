package io.brewstream.topologies.agents;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.brewstream.schemas.agents.TaskEvent;
import io.brewstream.schemas.common.DeadLetter;
import io.brewstream.schemas.deadletter.DeadLetters;
import io.brewstream.schemas.topics.Topics;

/**
 * A FAILED task as a dead letter: the final event (Avro, as on {@code agents.task-events}) in the envelope, the
 * reason (deadline passed, attempts spent) in the headers as every dead letter has it, keyed by the source topic.
 */
final class FailedTaskDeadLetters implements Processor<String, TaskEvent, String, DeadLetter> {
    private final String application;
    private final Serializer<TaskEvent> events;
    private ProcessorContext<String, DeadLetter> context;

    FailedTaskDeadLetters(String application, Serializer<TaskEvent> events) {
        this.application = application;
        this.events = events;
    }

    @Override
    public void init(ProcessorContext<String, DeadLetter> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, TaskEvent> record) {
        TaskEvent event = record.value();
        String topic = Topics.TASK_EVENTS.name();
        DeadLetter letter = DeadLetters.envelope(application, topic, null, null,
                event.getTaskId().getBytes(StandardCharsets.UTF_8), events.serialize(topic, event),
                "task " + event.getTaskId() + " (" + event.getSkill() + ") failed: " + event.getReason(), null,
                event.getAt());
        // the same headers as every dead letter, so the reason reads without decoding the value
        var dlq = DeadLetters.record(letter, (t, l) -> new byte[0]);
        context.forward(new Record<>(topic, letter, record.timestamp(), new RecordHeaders(dlq.headers().toArray())));
    }
}

package io.brewstream.topologies.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.schemas.common.DeadLetter;
import io.brewstream.schemas.deadletter.DeadLetters;
import io.brewstream.schemas.serde.RegistryErrors;
import io.brewstream.schemas.topics.Topics;

/**
 * Sends a record that cannot be deserialized or processed to the dead-letter topic, with the reason, and
 * lets the topology go on. The dead letter is written in the task's transaction, so it is exactly once too. A
 * record that fails because the schema registry is away (after the serdes waited for it) is not dead-lettered: the
 * stream thread fails, is replaced, and the record is tried again.
 */
public final class DeadLetterExceptionHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {
    /** Config key carrying the registry URL into the handler. */
    public static final String REGISTRY_URL_CONFIG = "brewstream.registry.url";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterExceptionHandler.class);

    private String application;
    private Serializer<DeadLetter> serializer;

    @Override
    public void configure(Map<String, ?> configs) {
        application = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
        serializer = Topics.DEAD_LETTERS.valueSerde(StreamsApp.serdes(String.valueOf(configs.get(REGISTRY_URL_CONFIG))))
                .serializer();
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (RegistryErrors.isTransient(exception)) {
            log.warn("{}: cannot read record {}-{}@{} while the schema registry is away; not dead-lettered: the stream "
                    + "thread fails and the record is read again", application, record.topic(), record.partition(),
                    record.offset(), exception);
            return DeserializationExceptionHandler.Response.fail();
        }
        log.warn("{}: cannot read record {}-{}@{}, dead-lettered: {}", application, record.topic(), record.partition(),
                record.offset(), exception.toString());
        String reason = record.value() != null && record.value().length > 0 && record.value()[0] != 0
                ? String.format("value is not in the registry wire format (first byte 0x%02x, expected 0x00); ", record.value()[0])
                : "";
        return DeserializationExceptionHandler.Response.resume(
                deadLetter(context, "cannot deserialize: " + reason, exception));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
            Exception exception) {
        if (RegistryErrors.isTransient(exception)) {
            log.warn("{}: cannot process record {}-{}@{} in {} while the schema registry is away; not dead-lettered: the "
                    + "stream thread fails and the record is processed again", application, context.topic(),
                    context.partition(), context.offset(), context.processorNodeId(), exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        log.warn("{}: cannot process record {}-{}@{} in {}, dead-lettered", application, context.topic(),
                context.partition(), context.offset(), context.processorNodeId(), exception);
        return ProcessingExceptionHandler.Response.resume(deadLetter(context, "cannot process: ", exception));
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, String prefix, Exception e) {
        DeadLetter letter = DeadLetters.envelope(application, context.topic(), context.partition(), context.offset(),
                context.sourceRawKey(), context.sourceRawValue(), prefix + e.getMessage(), e, Instant.now());
        return List.of(DeadLetters.record(letter, serializer));
    }
}

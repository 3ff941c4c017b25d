package io.brewstream.schemas.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

import io.brewstream.schemas.common.DeadLetter;
import io.brewstream.schemas.topics.Topics;

/**
 * Builds dead-letter records: a {@link DeadLetter} envelope on {@link Topics#DEAD_LETTERS}, keyed by the
 * source topic, with the reason also in headers so it can be read without decoding the value.
 */
public final class DeadLetters {
    public static final String HEADER_REASON = "brewstream.dlq.reason";
    public static final String HEADER_EXCEPTION = "brewstream.dlq.exception";
    public static final String HEADER_SOURCE_TOPIC = "brewstream.dlq.source-topic";
    public static final String HEADER_APPLICATION = "brewstream.dlq.application";

    private DeadLetters() {
    }

    public static DeadLetter envelope(String application, String sourceTopic, Integer partition, Long offset,
            byte[] key, byte[] value, String reason, Throwable cause, Instant failedAt) {
        return DeadLetter.newBuilder()
                .setApplication(application)
                .setSourceTopic(sourceTopic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setReason(reason == null ? "unknown" : reason)
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .setFailedAt(failedAt)
                .build();
    }

    public static ProducerRecord<byte[], byte[]> record(DeadLetter letter, Serializer<DeadLetter> serializer) {
        String topic = Topics.DEAD_LETTERS.name();
        Headers headers = new RecordHeaders()
                .add(HEADER_REASON, utf8(letter.getReason()))
                .add(HEADER_SOURCE_TOPIC, utf8(letter.getSourceTopic()))
                .add(HEADER_APPLICATION, utf8(letter.getApplication()));
        if (letter.getExceptionClass() != null) {
            headers.add(HEADER_EXCEPTION, utf8(letter.getExceptionClass()));
        }
        return new ProducerRecord<>(topic, null, utf8(letter.getSourceTopic()),
                serializer.serialize(topic, letter), headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

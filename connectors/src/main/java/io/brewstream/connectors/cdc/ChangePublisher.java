package io.brewstream.connectors.cdc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;

/**
 * Writes each batch of changes in one Kafka transaction and tells Debezium a change is processed only after
 * the transaction committed, so its offset is never stored ahead of Kafka: a crash replays, it never skips.
 */
final class ChangePublisher implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>> {
    private final Producer<byte[], byte[]> producer;
    private final ChangeMapper mapper;
    private final ChangeListener listener;

    ChangePublisher(Producer<byte[], byte[]> producer, ChangeMapper mapper, ChangeListener listener) {
        this.producer = producer;
        this.mapper = mapper;
        this.listener = listener;
    }

    @Override
    public void handleBatch(List<ChangeEvent<SourceRecord, SourceRecord>> changes,
            DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer) throws InterruptedException {
        List<ProducerRecord<byte[], byte[]>> written = new ArrayList<>();
        producer.beginTransaction();
        try {
            for (ChangeEvent<SourceRecord, SourceRecord> change : changes) {
                Optional<ProducerRecord<byte[], byte[]>> record = mapper.map(change.value());
                if (record.isPresent()) {
                    producer.send(record.get());
                    written.add(record.get());
                }
            }
            producer.commitTransaction();
        } catch (ProducerFencedException e) {
            throw new IllegalStateException("another connector with the same name took over; this one stops", e);
        } catch (KafkaException e) {
            producer.abortTransaction();
            throw new IllegalStateException("could not write " + changes.size() + " changes to Kafka; they will be read again", e);
        }
        for (ChangeEvent<SourceRecord, SourceRecord> change : changes) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
        long ackedAt = System.currentTimeMillis();
        for (ProducerRecord<byte[], byte[]> record : written) {
            committedAt(record).ifPresent(at -> listener.published(record.topic(), Duration.ofMillis(ackedAt - at)));
        }
    }

    /** When the database committed a live change; snapshot reads have no commit to measure from. */
    private static Optional<Long> committedAt(ProducerRecord<byte[], byte[]> record) {
        Header operation = record.headers().lastHeader(ChangeMapper.HEADER_OPERATION);
        Header committed = record.headers().lastHeader(ChangeMapper.HEADER_COMMITTED_AT);
        if (operation == null || committed == null || "r".equals(utf8(operation))) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(utf8(committed)));
    }

    private static String utf8(Header header) {
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}

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
 * It also notes when the snapshot's last record is in Kafka: Debezium reports the snapshot done when it has read
 * the tables, while their rows may still be on their way here.
 */
final class ChangePublisher implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>> {
    /** The key of a PostgreSQL source offset that marks the snapshot's last record. */
    static final String LAST_SNAPSHOT_RECORD = "last_snapshot_record";

    private final Producer<byte[], byte[]> producer;
    private final ChangeMapper mapper;
    private final ChangeListener listener;
    private volatile boolean snapshotPublished;

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
            if (Boolean.TRUE.equals(change.value().sourceOffset().get(LAST_SNAPSHOT_RECORD))) {
                snapshotPublished = true;
            }
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
        long ackedAt = System.currentTimeMillis();
        for (ProducerRecord<byte[], byte[]> record : written) {
            committedAt(record).ifPresent(at -> listener.published(record.topic(), Duration.ofMillis(ackedAt - at)));
        }
    }

    /** Whether the snapshot's last record was committed to Kafka, and with it every record of the snapshot. */
    boolean snapshotPublished() {
        return snapshotPublished;
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

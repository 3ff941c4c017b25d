package io.brewstream.connectors.cdc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Streams the operational database into Kafka with Debezium's embedded PostgreSQL connector (pgoutput): a
 * snapshot on its first start, then every committed change. Offsets live in a file and are stored only after
 * Kafka acknowledged the changes, so a restart resumes where it left off, without a new snapshot and without
 * losing what changed while it was down (the replication slot keeps that WAL).
 */
public final class CdcConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CdcConnector.class);

    private final CdcSettings settings;
    private final Producer<byte[], byte[]> producer;
    private final ChangePublisher publisher;
    private final DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
    private final ExecutorService executor;
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Where the connector is in its life. */
    public enum State { STARTING, RUNNING, STOPPED, FAILED }

    private CdcConnector(CdcSettings settings, String bootstrapServers, AvroSerdes serdes, ChangeListener listener) {
        this.settings = settings;
        try {
            Files.createDirectories(settings.offsetsFile().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + settings.offsetsFile(), e);
        }
        this.producer = new KafkaProducer<>(producerConfig(bootstrapServers, settings), new ByteArraySerializer(),
                new ByteArraySerializer());
        producer.initTransactions();
        this.publisher = new ChangePublisher(producer, new ChangeMapper(serdes), listener);
        this.engine = DebeziumEngine.create(Connect.class)
                .using(engineProperties(settings))
                .notifying(publisher)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        state.compareAndSet(State.STARTING, State.RUNNING);
                        log.info("CDC connector {} is streaming {}", settings.name(), settings.database());
                    }
                })
                .using((success, message, error) -> {
                    if (!success) {
                        failure.set(error);
                        state.set(State.FAILED);
                        log.error("CDC connector {} stopped: {}", settings.name(), message, error);
                    } else {
                        state.compareAndSet(State.RUNNING, State.STOPPED);
                        state.compareAndSet(State.STARTING, State.STOPPED);
                    }
                })
                .build();
        this.executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "cdc-" + settings.name()));
    }

    /** Starts streaming in the background; {@link #state()} says when it runs. */
    public static CdcConnector start(CdcSettings settings, String bootstrapServers, AvroSerdes serdes, ChangeListener listener) {
        CdcConnector connector = new CdcConnector(settings, bootstrapServers, serdes, listener);
        connector.executor.execute(connector.engine);
        return connector;
    }

    public State state() {
        return state.get();
    }

    /**
     * Whether the connector streams live changes (Debezium's streaming metrics say it is connected) and the
     * snapshot it took on this start, if any, is in Kafka: from then on the reference topics hold the whole
     * database. Debezium counts the snapshot done once it has read the tables; their rows may then still be in its
     * queue or in a transaction of ours, and an order placed in that moment would find no menu or no stock (seen:
     * a dashboard test's first order rejected for "0 available" 1.5 s after the stack said it was ready).
     */
    public boolean streaming() {
        if (state.get() != State.RUNNING) {
            return false;
        }
        try {
            return attribute("streaming", "Connected", false) && (publisher.snapshotPublished() || noSnapshotToPublish());
        } catch (JMException e) {
            return false;
        }
    }

    /** No snapshot on this start (the offsets said it was taken before), or one of an empty database. */
    private boolean noSnapshotToPublish() throws JMException {
        return !attribute("snapshot", "SnapshotCompleted", false)
                || (Long) attribute("snapshot", "TotalNumberOfEventsSeen", 0L) == 0L;
    }

    /** An attribute of this connector's Debezium metrics of the given context, or the default when none is there. */
    @SuppressWarnings("unchecked")
    private <T> T attribute(String context, String name, T absent) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("debezium.postgres:type=connector-metrics,context="
                + context + ",server=" + settings.name() + ",*"), null);
        for (ObjectName metrics : names) {
            Object value = server.getAttribute(metrics, name);
            if (value != null) {
                return (T) value;
            }
        }
        return absent;
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    static Properties engineProperties(CdcSettings settings) {
        Map<String, String> config = new HashMap<>();
        config.put("name", settings.name());
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        config.put("offset.storage.file.filename", settings.offsetsFile().toAbsolutePath().toString());
        config.put("offset.flush.interval.ms", "1000");
        config.put("database.hostname", settings.database().host());
        config.put("database.port", String.valueOf(settings.database().port()));
        config.put("database.user", settings.database().user());
        config.put("database.password", settings.database().password());
        config.put("database.dbname", settings.database().database());
        config.put("topic.prefix", settings.name());
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", settings.slotName());
        config.put("publication.name", settings.publicationName());
        config.put("publication.autocreate.mode", "filtered");
        config.put("table.include.list", CapturedTable.includeList());
        config.put("snapshot.mode", "initial");
        config.put("decimal.handling.mode", "string");
        config.put("tombstones.on.delete", "false");
        config.put("poll.interval.ms", String.valueOf(settings.pollInterval().toMillis()));
        config.put("heartbeat.interval.ms", String.valueOf(settings.heartbeatInterval().toMillis()));
        config.put("heartbeat.action.query", "INSERT INTO " + CapturedTable.SCHEMA + "." + CapturedTable.HEARTBEAT
                + " (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at");
        // the outbox table's rows are routed by aggregate type with Debezium's event router; other tables pass
        config.put("transforms", "outbox");
        config.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        config.put("transforms.outbox.predicate", "isOutbox");
        config.put("transforms.outbox.route.topic.replacement", Topics.OUTBOX_TOPIC_PREFIX + "${routedByValue}");
        config.put("transforms.outbox.table.fields.additional.placement",
                "type:header:" + ChangeMapper.OUTBOX_EVENT_TYPE_HEADER
                        + ",aggregatetype:header:" + ChangeMapper.OUTBOX_AGGREGATE_TYPE_HEADER);
        config.put("transforms.outbox.table.expand.json.payload", "false");
        config.put("predicates", "isOutbox");
        config.put("predicates.isOutbox.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        config.put("predicates.isOutbox.pattern",
                settings.name() + "\\." + CapturedTable.SCHEMA + "\\." + CapturedTable.OUTBOX);
        Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }

    private static Map<String, Object> producerConfig(String bootstrapServers, CdcSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "brewstream-cdc-" + settings.name());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return config;
    }

    @Override
    public void close() {
        try {
            engine.close();
        } catch (IOException e) {
            log.warn("CDC engine {} did not close cleanly: {}", settings.name(), e.toString());
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("CDC engine {} still running after 30 s", settings.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}

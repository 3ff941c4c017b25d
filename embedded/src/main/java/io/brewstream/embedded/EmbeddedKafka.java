package io.brewstream.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node KRaft Kafka (broker and controller in one) running in this JVM on loopback.
 * Its log directory is formatted once; starting again on the same directory keeps the data.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final boolean deleteOnClose;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, int port, int controllerPort, boolean deleteOnClose) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.deleteOnClose = deleteOnClose;
    }

    /** A broker on free ports whose data is deleted when it is closed. */
    public static EmbeddedKafka temporary() {
        try {
            return new EmbeddedKafka(Files.createTempDirectory("brewstream-kafka"), FreePorts.next(), FreePorts.next(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A broker whose data lives in {@code logDir} and survives restarts; port 0 picks a free one. */
    public static EmbeddedKafka persistent(Path logDir, int port, int controllerPort) {
        return new EmbeddedKafka(logDir, FreePorts.orFree(port), FreePorts.orFree(controllerPort), false);
    }

    public synchronized EmbeddedKafka start() {
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(logDir);
            Properties props = brokerProperties();
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format();
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            awaitReady(Duration.ofSeconds(60));
        } catch (Exception e) {
            close();
            throw new IllegalStateException("embedded Kafka did not start in " + logDir + ": " + e.getMessage(), e);
        }
        log.info("Kafka broker listening on {} (data in {}), up in {} ms", bootstrapServers(), logDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return this;
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        // a single node: every internal topic has one replica
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "2");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        return p;
    }

    private void format() throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(NODE_ID)
                .setDirectories(java.util.List.of(logDir.toAbsolutePath().toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                .run();
    }

    private void awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new TimeoutException("broker not ready after " + timeout);
                    }
                }
                Thread.sleep(50);
            }
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                log.warn("Kafka broker did not shut down cleanly", e);
            }
            server = null;
        }
        if (deleteOnClose) {
            Directories.deleteRecursively(logDir);
        }
    }
}

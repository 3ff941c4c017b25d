package io.brewstream.topologies.runtime;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.TopicSettings;
import io.brewstream.schemas.topics.Topics;

/** One domain topology running as a Kafka Streams application, exactly once. */
public final class StreamsApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);
    /** Deprecated because it becomes the default in Kafka 5.0; set now so global tables dead-letter too. */
    private static final String PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED = "processing.exception.handler.global.enabled";

    private final DomainTopology domain;
    private final String applicationId;
    private final KafkaStreams streams;
    private final java.nio.file.Path stateDir;

    /** Completes, with why, when the application is dead for good (ERROR): its process should exit, not linger. */
    private final java.util.concurrent.CompletableFuture<String> deadForGood = new java.util.concurrent.CompletableFuture<>();

    /** Completes the first time the application is RUNNING: its tasks, and what their processors made in init, exist. */
    private final java.util.concurrent.CompletableFuture<Void> firstRunning = new java.util.concurrent.CompletableFuture<>();

    private final AvroSerdes serdes;
    private final Topology topology;

    public StreamsApp(DomainTopology domain, StreamsSettings settings) {
        this(domain, settings, ThreadDeaths.defaults());
    }

    StreamsApp(DomainTopology domain, StreamsSettings settings, ThreadDeaths threadDeaths) {
        this.domain = domain;
        this.applicationId = settings.applicationId(domain);
        this.stateDir = settings.stateDir().toAbsolutePath();
        GlobalStateAfterCrash.prepare(stateDir, applicationId);
        Properties properties = properties(applicationId, settings);
        properties.putAll(domain.configOverrides());
        this.serdes = serdes(settings.registryUrl());
        this.topology = domain.build(serdes, properties);
        this.streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(e -> {
            if (threadDeaths.oneTooMany(java.time.Instant.now())) {
                log.error("{}: a stream thread died more than {} times in {}: shutting the application down", applicationId,
                        threadDeaths.maxDeaths(), threadDeaths.window(), e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            log.error("{}: stream thread died, replacing it", applicationId, e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            log.info("{}: {} -> {}", applicationId, before, now);
            if (now == KafkaStreams.State.RUNNING) {
                firstRunning.complete(null);
            }
            if (now == KafkaStreams.State.ERROR) {
                deadForGood.complete(applicationId + " went from " + before + " to ERROR and will not recover");
            }
        });
    }

    /**
     * How long a stream thread waits for a schema registry that is away when it meets a schema it does not know yet
     * (a transient error is retried, never skipped). Below {@code max.poll.interval.ms} (5 min), so the waiting thread
     * keeps its place in the group; an exactly-once transaction left open that long is aborted by the broker and its
     * records processed again.
     */
    static final Duration REGISTRY_OUTAGE_PATIENCE = Duration.ofMinutes(4);

    /** The serdes of the topologies and of their dead letters: they wait out a registry outage. */
    static AvroSerdes serdes(String registryUrl) {
        return AvroSerdes.forRegistry(registryUrl).waitingForRegistry(REGISTRY_OUTAGE_PATIENCE);
    }

    static Properties properties(String applicationId, StreamsSettings settings) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) settings.commitInterval().toMillis());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.replicationFactor());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threadsPerApp());
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        settings.applicationServer().ifPresent(server -> {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server);
            // static membership (KIP-345): a process that comes back under the address it had, after a crash,
            // takes its tasks back at once; without it the group waits a session timeout (45 s) for the dead
            // member before it rebalances. A clean close still leaves the group (close()). Streams adds the thread
            // index to the id; an id allows letters, digits, '.', '_' and '-'.
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, server.replaceAll("[^a-zA-Z0-9._-]", "_"));
        });
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        p.put(PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED, true);
        p.put(DeadLetterExceptionHandler.REGISTRY_URL_CONFIG, settings.registryUrl());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // changelogs roll a segment every ten minutes (Kafka Streams gives its repartition topics the same), so the
        // cleaner compacts them and a restore after a crash reads about the live keys, not every update since the start
        p.put(StreamsConfig.topicPrefix(TopicConfig.SEGMENT_MS_CONFIG),
                String.valueOf(TopicSettings.COMPACTED_SEGMENT.toMillis()));
        return p;
    }

    public StreamsApp start() {
        log.info("starting {} ({})", applicationId, domain.name());
        // every schema this process may meet, known before a record needs it: a record type met for the first time
        // while the registry is away would stall its task until the registry is back
        long learning = System.nanoTime();
        Set<Topic<?>> topics = topicsOf(topology);
        serdes.learn(topics);
        log.info("{}: the schemas of its {} topics known in {} ms", applicationId, topics.size(),
                (System.nanoTime() - learning) / 1_000_000);
        streams.start();
        return this;
    }

    /** The registry's topics a topology reads or writes (its sources, sinks and global stores'). */
    static Set<Topic<?>> topicsOf(Topology topology) {
        Set<String> names = new TreeSet<>();
        TopologyDescription description = topology.describe();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    names.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    names.add(sink.topic());
                }
            }
        }
        for (TopologyDescription.GlobalStore global : description.globalStores()) {
            names.addAll(global.source().topicSet());
        }
        Set<Topic<?>> topics = new LinkedHashSet<>();
        names.forEach(name -> Topics.named(name).ifPresent(topics::add));
        return topics;
    }

    public String applicationId() {
        return applicationId;
    }

    public String name() {
        return domain.name();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Completes, with why, once the application is dead for good (its state ERROR). */
    public java.util.concurrent.CompletableFuture<String> deadForGood() {
        return deadForGood;
    }

    /** Completes the first time the application is RUNNING. */
    public java.util.concurrent.CompletableFuture<Void> firstRunning() {
        return firstRunning;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        // leave the group so a restarted or remaining instance takes the partitions over at once instead of
        // after the session timeout
        boolean closed = streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (closed && streams.state() == KafkaStreams.State.NOT_RUNNING) {
            GlobalStateAfterCrash.closedCleanly(stateDir, applicationId);
        }
    }
}

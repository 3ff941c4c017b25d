package io.brewstream.schemas.topics;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the registry's topics that do not exist yet; existing ones are left as they are, but the topics partitioned
 * by shop must have the partition count this version expects: they are read together, one task per partition.
 */
public final class TopicProvisioner {
    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    /** Creates the missing topics through a short-lived admin client, with the default retentions. */
    public static void ensureAll(String bootstrapServers, int replicationFactor) {
        ensureAll(bootstrapServers, TopicSettings.defaults().withReplicationFactor(replicationFactor));
    }

    /** Creates the missing topics through a short-lived admin client. */
    public static void ensureAll(String bootstrapServers, TopicSettings settings) {
        try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", bootstrapServers))) {
            ensure(admin, Topics.all(), settings);
        }
    }

    /** Each existing topic whose partition count differs from the registry's, described; empty when all agree. */
    static List<String> partitionMismatches(Collection<Topic<?>> topics, Map<String, Integer> actualCounts) {
        return topics.stream().filter(t -> actualCounts.containsKey(t.name()))
                .filter(t -> actualCounts.get(t.name()) != t.partitions())
                .map(t -> t.name() + " has " + actualCounts.get(t.name()) + " partitions, not " + t.partitions())
                .toList();
    }

    /**
     * Creates those of the topics that are missing. Topics that exist keep the configuration they have: to change
     * the retention or {@code min.insync.replicas} of one, alter it on the cluster ({@code kafka-configs}).
     */
    public static void ensure(Admin admin, Collection<Topic<?>> topics, TopicSettings settings) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<String> existingByShop = topics.stream().filter(t -> t.keyPartitioning() != KeyPartitioning.BY_KEY)
                    .map(Topic::name).filter(existing::contains).toList();
            if (!existingByShop.isEmpty()) {
                Map<String, Integer> counts = new HashMap<>();
                admin.describeTopics(existingByShop).allTopicNames().get()
                        .forEach((name, description) -> counts.put(name, description.partitions().size()));
                List<String> wrong = partitionMismatches(topics, counts);
                if (!wrong.isEmpty()) {
                    throw new IllegalStateException("the topics partitioned by shop must keep the partition count they"
                            + " were created with, which this version expects: " + String.join("; ", wrong)
                            + ". They cannot be re-partitioned in place; see 'Moving an existing deployment' in"
                            + " docs/architecture.md");
                }
            }
            List<NewTopic> missing = topics.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> t.newTopic(settings))
                    .collect(Collectors.toList());
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).values().forEach((name, future) -> {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + name, e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted creating " + name, e);
                }
            });
            log.info("created topics {}", missing.stream().map(NewTopic::name).collect(Collectors.toList()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not list topics", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted listing topics", e);
        }
    }
}

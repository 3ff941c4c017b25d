package io.brewstream.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicSettingsTest {
    private final TopicSettings cluster = new TopicSettings(3, 2, Duration.ofDays(400), Duration.ofDays(7));

    @Test
    void everyTopicIsCreatedWithAnExplicitRetentionAndTheClustersReplication() {
        for (Topic<?> topic : Topics.all()) {
            NewTopic created = topic.newTopic(cluster);
            assertThat(created.replicationFactor()).as(topic.name()).isEqualTo((short) 3);
            assertThat(created.configs()).as(topic.name())
                    .containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")
                    .containsKey(TopicConfig.RETENTION_MS_CONFIG);
        }
    }

    @Test
    void commandsPaymentsAndRefundsAreKeptForTheAuditCompactedTopicsForEverTheRestAWeek() {
        assertThat(Topics.ORDER_COMMANDS.newTopic(cluster).configs())
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(400).toMillis()));
        assertThat(Topics.PAYMENTS.newTopic(cluster).configs())
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(400).toMillis()));
        assertThat(Topics.REFUNDS.newTopic(cluster).configs())
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(400).toMillis()));
        assertThat(Topics.SHOPS.newTopic(cluster).configs()).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1")
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .as("rolled, so the cleaner compacts them").containsEntry(TopicConfig.SEGMENT_MS_CONFIG, "600000");
        assertThat(Topics.ORDER_EVENTS.newTopic(cluster).configs()).doesNotContainKey(TopicConfig.SEGMENT_MS_CONFIG);
        assertThat(Topics.LOW_STOCK.newTopic(cluster).configs())
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(7).toMillis()));
    }

    @Test
    void theBrokersDefaultsWhereNothingIsSet() {
        NewTopic created = Topics.ORDER_EVENTS.newTopic(TopicSettings.defaults());
        assertThat(created.replicationFactor()).isEqualTo((short) -1);
        assertThat(created.configs()).doesNotContainKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        assertThatThrownBy(() -> new TopicSettings(1, 1, Duration.ofDays(1), Duration.ofDays(7)))
                .hasMessageContaining("cannot be shorter");
    }
}

package io.brewstream.schemas.topics;

import org.apache.kafka.common.config.TopicConfig;

/** What the broker does with old records of a topic. */
public enum CleanupPolicy {
    /** An event log: records age out after the retention time. */
    DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
    /** A table: the latest record per key is kept for ever, a tombstone removes the key. */
    COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }
}

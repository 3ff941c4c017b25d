package io.brewstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.brewstream.schemas.topics.Topic;
import io.brewstream.schemas.topics.Topics;

class TopicsTest {

    @Test
    void namesAreUniqueAndValid() {
        List<String> names = Topics.all().stream().map(Topic::name).toList();
        assertThat(names).doesNotHaveDuplicates();
        assertThat(names).allMatch(n -> n.matches("[a-z][a-z0-9.-]*[a-z0-9]"));
    }

    @Test
    void orderKeyedTopicsAreCoPartitioned() {
        assertThat(Topics.all()).filteredOn(t -> t.keyDescription().equals("order id"))
                .filteredOn(t -> t != Topics.FRAUD_ALERTS)
                .allMatch(t -> t.partitions() == Topics.ORDER_PARTITIONS);
    }

    @Test
    void everyPublicTopicConstantIsListed() throws Exception {
        long constants = java.util.Arrays.stream(Topics.class.getFields())
                .filter(f -> f.getType() == Topic.class).count();
        assertThat(Topics.all()).hasSize((int) constants);
    }
}

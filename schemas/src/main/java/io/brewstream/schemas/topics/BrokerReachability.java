package io.brewstream.schemas.topics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the brokers answer now: a cluster description within a timeout, over one admin client kept open. A
 * producer cannot say it: what it knows of the cluster is cached, and its sends wait for a broker up to their
 * delivery timeout.
 */
public final class BrokerReachability implements AutoCloseable {
    private final Admin admin;
    private final Duration timeout;

    public BrokerReachability(String bootstrapServers, Duration timeout) {
        this.timeout = timeout;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "brewstream-broker-probe",
                // back within a second of the broker: the default backoff grows to 1 s already
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000));
    }

    /** True when a broker described the cluster within the timeout; throws why not otherwise. */
    public boolean answers() throws Exception {
        return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).nodes()
                .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS).isEmpty();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}

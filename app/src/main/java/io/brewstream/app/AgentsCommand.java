package io.brewstream.app;

import java.util.List;
import java.util.concurrent.Callable;

import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.schemas.topics.TopicProvisioner;
import picocli.CommandLine.Command;

@Command(name = "agents", mixinStandardHelpOptions = true,
        description = {"Runs the built-in agents (inventory manager, feedback analyst, notifier, beverage inventor,",
                "scheduler; the shop assistant with BREWSTREAM_LLM_URL) as plain Kafka clients; the router runs in a",
                "streams process (--apps agents). BREWSTREAM_BOOTSTRAP_SERVERS, BREWSTREAM_REGISTRY_URL,",
                "BREWSTREAM_AGENT_INSTANCE (1; unique per process), BREWSTREAM_AGENTS_HEARTBEAT (5s),",
                "BREWSTREAM_AGENTS_REORDER_LEAD_TIME (2d), _COVER (5d), _WINDOW (14d), BREWSTREAM_AGENTS_SURPLUS_FACTOR (4),",
                "BREWSTREAM_AGENTS_INVENTOR_REPLY_WINDOW (30m), BREWSTREAM_AGENTS_ORDERS_PER_BARISTA_HOUR (30),",
                "_MIN_SHIFT_HOURS (4), _MAX_SHIFT_HOURS (8), BREWSTREAM_AGENTS_SCHEDULE_WEEKS (4), BREWSTREAM_LLM_URL,",
                "_MODEL, _API_KEY, _TIMEOUT (30s), _MAX_RETRIES (2), _MAX_TOKENS (300), BREWSTREAM_HTTP_PORT (8090)."})
final class AgentsCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Env env = Env.system();
        ClusterSettings cluster = ClusterSettings.fromEnv(env);
        AgentsComponent.Settings settings = AgentsComponent.Settings.of(env);
        if (!settings.enabled()) {
            throw new IllegalArgumentException("BREWSTREAM_AGENTS_BUILT_IN is false: there is nothing to run");
        }
        Lifecycle lifecycle = new Lifecycle();
        try {
            TopicProvisioner.ensureAll(cluster.bootstrapServers(), cluster.topics());
            Observability observability = lifecycle.add(new Observability("agents"));
            AgentsComponent agents = AgentsComponent.start(settings, cluster.bootstrapServers(), cluster.registryUrl(),
                    lifecycle).orElseThrow();
            HttpService http = lifecycle.add(HttpService.start(cluster.httpHost(), env.integer("BREWSTREAM_HTTP_PORT", 8090),
                    observability, List.of(), List.of(agents.readiness),
                    io.brewstream.platform.security.Authentication.refusingAll(),
                    Identity.metrics(env, java.util.Optional.empty())));
            System.out.println("brewstream agents " + agents.agents.stream().map(a -> a.agentId()).toList()
                    + ": health and metrics on port " + http.port());
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
        Shutdown.awaitThenClose(lifecycle);
        return 0;
    }
}

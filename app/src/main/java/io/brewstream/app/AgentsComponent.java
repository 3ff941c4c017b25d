package io.brewstream.app;

import java.time.Duration;
import java.util.List;

import io.brewstream.connectors.agents.FeedbackAnalystAgent;
import io.brewstream.connectors.agents.InventoryManagerAgent;
import io.brewstream.connectors.agents.NotifierAgent;
import io.brewstream.connectors.agents.ReorderPolicy;
import io.brewstream.connectors.agents.TopicAgent;
import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.schemas.serde.AvroSerdes;

/**
 * The built-in agents (inventory manager, feedback analyst, notifier), each a plain consumer and producer with its
 * own group id, in {@code standalone} and the {@code agents} sub-command. Their ids are the agent's kind and
 * {@code BREWSTREAM_AGENT_INSTANCE}, so two processes of agents need two instance names.
 */
final class AgentsComponent {
    final List<TopicAgent> agents;
    final ReadinessCheck readiness;

    private AgentsComponent(List<TopicAgent> agents) {
        this.agents = agents;
        this.readiness = ReadinessCheck.of("agents", () -> agents.stream().allMatch(TopicAgent::isRunning));
    }

    /** Settings of the built-in agents, with their defaults. */
    record Settings(boolean enabled, String instance, Duration heartbeat, ReorderPolicy reorder) {
        static Settings of(Env env) {
            ReorderPolicy d = ReorderPolicy.defaults();
            return new Settings(env.bool("BREWSTREAM_AGENTS_BUILT_IN", true),
                    env.string("BREWSTREAM_AGENT_INSTANCE", "1"),
                    env.duration("BREWSTREAM_AGENTS_HEARTBEAT", Duration.ofSeconds(5)),
                    new ReorderPolicy(env.duration("BREWSTREAM_AGENTS_REORDER_LEAD_TIME", d.leadTime()),
                            env.duration("BREWSTREAM_AGENTS_REORDER_COVER", d.cover()),
                            env.duration("BREWSTREAM_AGENTS_REORDER_WINDOW", d.window())));
        }
    }

    static java.util.Optional<AgentsComponent> start(Settings settings, String bootstrapServers, String registryUrl,
            Lifecycle lifecycle) {
        if (!settings.enabled()) {
            return java.util.Optional.empty();
        }
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        String instance = settings.instance();
        List<TopicAgent> agents = List.of(
                lifecycle.add(new InventoryManagerAgent(bootstrapServers, serdes, "inventory-manager-" + instance,
                        settings.heartbeat(), settings.reorder())).start(),
                lifecycle.add(new FeedbackAnalystAgent(bootstrapServers, serdes, "feedback-analyst-" + instance,
                        settings.heartbeat())).start(),
                lifecycle.add(new NotifierAgent(bootstrapServers, serdes, "notifier-" + instance,
                        settings.heartbeat())).start());
        return java.util.Optional.of(new AgentsComponent(agents));
    }
}

package io.brewstream.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.brewstream.connectors.agents.BeverageInvention;
import io.brewstream.connectors.agents.BeverageInventorAgent;
import io.brewstream.connectors.agents.ChatCompletionsClient;
import io.brewstream.connectors.agents.FeedbackAnalystAgent;
import io.brewstream.connectors.agents.InventoryManagerAgent;
import io.brewstream.connectors.agents.NotifierAgent;
import io.brewstream.connectors.agents.ReorderPolicy;
import io.brewstream.connectors.agents.SchedulerAgent;
import io.brewstream.connectors.agents.ShiftPlanner;
import io.brewstream.connectors.agents.ShopAssistantAgent;
import io.brewstream.connectors.agents.TopicAgent;
import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.schemas.serde.AvroSerdes;

/**
 * The built-in agents (inventory manager, feedback analyst, notifier, beverage inventor, scheduler, and the shop
 * assistant when a language model is configured), each a plain consumer and producer with its own group id, in
 * {@code standalone} and the {@code agents} sub-command. Their ids are the agent's kind and
 * {@code BREWSTREAM_AGENT_INSTANCE}, so two processes of agents need two instance names.
 */
final class AgentsComponent {
    final List<TopicAgent> agents;
    final ReadinessCheck readiness;

    private AgentsComponent(List<TopicAgent> agents) {
        this.agents = agents;
        this.readiness = ReadinessCheck.of("agents", () -> agents.stream().allMatch(TopicAgent::isRunning));
    }

    /** Settings of the built-in agents, with their defaults (the one place they are read). */
    record Settings(boolean enabled, String instance, Duration heartbeat, ReorderPolicy reorder,
            BeverageInvention invention, Duration inventorReplyWindow, ShiftPlanner shifts, int scheduleWeeks,
            Optional<ChatCompletionsClient.Settings> model) {
        static Settings of(Env env) {
            ReorderPolicy d = ReorderPolicy.defaults();
            ShiftPlanner s = ShiftPlanner.defaults();
            return new Settings(env.bool("BREWSTREAM_AGENTS_BUILT_IN", true),
                    env.string("BREWSTREAM_AGENT_INSTANCE", "1"),
                    env.duration("BREWSTREAM_AGENTS_HEARTBEAT", Duration.ofSeconds(5)),
                    new ReorderPolicy(env.duration("BREWSTREAM_AGENTS_REORDER_LEAD_TIME", d.leadTime()),
                            env.duration("BREWSTREAM_AGENTS_REORDER_COVER", d.cover()),
                            env.duration("BREWSTREAM_AGENTS_REORDER_WINDOW", d.window())),
                    new BeverageInvention(Double.parseDouble(env.string("BREWSTREAM_AGENTS_SURPLUS_FACTOR",
                            Double.toString(BeverageInvention.DEFAULT_SURPLUS_FACTOR)))),
                    env.duration("BREWSTREAM_AGENTS_INVENTOR_REPLY_WINDOW", Duration.ofMinutes(30)),
                    new ShiftPlanner(env.integer("BREWSTREAM_AGENTS_ORDERS_PER_BARISTA_HOUR", s.ordersPerBaristaHour()),
                            env.integer("BREWSTREAM_AGENTS_MIN_SHIFT_HOURS", s.minShiftHours()),
                            env.integer("BREWSTREAM_AGENTS_MAX_SHIFT_HOURS", s.maxShiftHours())),
                    env.integer("BREWSTREAM_AGENTS_SCHEDULE_WEEKS", 4),
                    // the shop assistant: any OpenAI-compatible chat-completions endpoint (Ollama: http://HOST:11434/v1)
                    env.optional("BREWSTREAM_LLM_URL").map(url -> new ChatCompletionsClient.Settings(url,
                            env.string("BREWSTREAM_LLM_MODEL", ""), env.string("BREWSTREAM_LLM_API_KEY", ""),
                            env.duration("BREWSTREAM_LLM_TIMEOUT", Duration.ofSeconds(30)),
                            env.integer("BREWSTREAM_LLM_MAX_RETRIES", 2),
                            env.integer("BREWSTREAM_LLM_MAX_TOKENS", 300))));
        }
    }

    static Optional<AgentsComponent> start(Settings settings, String bootstrapServers, String registryUrl,
            Lifecycle lifecycle) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        AvroSerdes serdes = AvroSerdes.forRegistry(registryUrl);
        String instance = settings.instance();
        List<TopicAgent> agents = new ArrayList<>(List.of(
                lifecycle.add(new InventoryManagerAgent(bootstrapServers, serdes, "inventory-manager-" + instance,
                        settings.heartbeat(), settings.reorder())).start(),
                lifecycle.add(new FeedbackAnalystAgent(bootstrapServers, serdes, "feedback-analyst-" + instance,
                        settings.heartbeat())).start(),
                lifecycle.add(new NotifierAgent(bootstrapServers, serdes, "notifier-" + instance,
                        settings.heartbeat())).start(),
                lifecycle.add(new BeverageInventorAgent(bootstrapServers, serdes, "beverage-inventor-" + instance,
                        settings.heartbeat(), settings.invention(), settings.inventorReplyWindow())).start(),
                lifecycle.add(new SchedulerAgent(bootstrapServers, serdes, "scheduler-" + instance,
                        settings.heartbeat(), settings.shifts(), settings.scheduleWeeks())).start()));
        // without a configured model the assistant does not exist: no card, so no skill is offered that nobody does
        settings.model().ifPresent(model -> agents.add(lifecycle.add(new ShopAssistantAgent(bootstrapServers, serdes,
                "shop-assistant-" + instance, settings.heartbeat(), new ChatCompletionsClient(model))).start()));
        return Optional.of(new AgentsComponent(List.copyOf(agents)));
    }
}

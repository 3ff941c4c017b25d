package io.brewstream.connectors.agents;

import java.time.Duration;
import java.util.List;

import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentSkill;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.agents.Artifact;
import io.brewstream.schemas.serde.AvroSerdes;

/**
 * The simplest agent, for tests and the bench: one skill, {@code echo}; each task given to it is answered with an
 * artifact of the parts it was sent.
 */
public final class EchoAgent extends TopicAgent {
    public static final String SKILL = "echo";
    private final int maxConcurrency;
    private final Duration workTime;

    public EchoAgent(String bootstrapServers, AvroSerdes serdes, String agentId, Duration heartbeat) {
        this(bootstrapServers, serdes, agentId, heartbeat, 64, Duration.ZERO);
    }

    /** An echo agent that takes {@code maxConcurrency} tasks at once and {@code workTime} over each (the bench). */
    public EchoAgent(String bootstrapServers, AvroSerdes serdes, String agentId, Duration heartbeat, int maxConcurrency,
            Duration workTime) {
        super(bootstrapServers, serdes, agentId, heartbeat);
        this.maxConcurrency = maxConcurrency;
        this.workTime = workTime;
    }

    @Override
    public EchoAgent start() {
        super.start();
        return this;
    }

    @Override
    protected AgentCard.Builder describe() {
        return AgentCard.newBuilder().setName("Echo").setDescription("Answers with what it was sent.").setVersion("1.0.0")
                .setSkills(List.of(AgentSkill.newBuilder().setId(SKILL).setName("Echo")
                        .setDescription("Returns the message's parts as an artifact.").setTags(List.of("test"))
                        .setExamples(List.of("hello")).build()))
                .setMaxConcurrency(maxConcurrency);
    }

    @Override
    protected Outcome work(AgentTask task) throws InterruptedException {
        if (!workTime.isZero()) {
            Thread.sleep(workTime.toMillis());
        }
        return Outcome.completed(Artifact.newBuilder().setArtifactId("echo-" + task.getTaskId()).setName("echo")
                .setParts(task.getMessage() == null ? List.of() : task.getMessage().getParts()).build());
    }
}

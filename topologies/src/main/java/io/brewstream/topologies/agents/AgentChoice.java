package io.brewstream.topologies.agents;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

import io.brewstream.schemas.agents.RouterAgent;

/**
 * Which live agent gets a task: the one its conversation is with, while that agent is up, has the skill and room;
 * otherwise, of the live agents with the skill and room that have not had the task before, the one with the fewest
 * tasks in flight (ties by id, so a replay chooses the same); when every one of them has had it, the one of them with
 * the fewest in flight (the task's attempts bound how often). Pure.
 */
public final class AgentChoice {
    private AgentChoice() {
    }

    public static Optional<String> choose(Collection<RouterAgent> agents, String skill, String conversationAgent,
            Set<String> tried) {
        if (conversationAgent != null && !tried.contains(conversationAgent)) {
            Optional<RouterAgent> same = agents.stream()
                    .filter(a -> a.getCard().getAgentId().equals(conversationAgent)).findFirst();
            if (same.isPresent() && available(same.get(), skill)) {
                return Optional.of(conversationAgent);
            }
        }
        Comparator<RouterAgent> fewestInFlight = Comparator.comparingInt(RouterAgent::getInFlight)
                .thenComparing(a -> a.getCard().getAgentId());
        Optional<String> another = agents.stream()
                .filter(a -> available(a, skill) && !tried.contains(a.getCard().getAgentId()))
                .min(fewestInFlight).map(a -> a.getCard().getAgentId());
        if (another.isPresent()) {
            return another;
        }
        // every live agent with the skill has had it: one of them again (the attempts bound it), not a wait until the
        // deadline while agents that can do it are up
        return agents.stream().filter(a -> available(a, skill)).min(fewestInFlight).map(a -> a.getCard().getAgentId());
    }

    static boolean available(RouterAgent agent, String skill) {
        return agent.getUp() && agent.getInFlight() < agent.getCard().getMaxConcurrency()
                && agent.getCard().getSkills().stream().anyMatch(s -> s.getId().equals(skill));
    }
}

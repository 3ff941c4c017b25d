package io.brewstream.queries.agents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.schemas.agents.A2aMessage;
import io.brewstream.schemas.agents.Artifact;
import io.brewstream.schemas.agents.MessageRole;
import io.brewstream.schemas.agents.Part;
import io.brewstream.schemas.agents.PartKind;
import io.brewstream.schemas.agents.RoutedTask;
import io.brewstream.schemas.agents.TaskEvent;
import io.brewstream.schemas.agents.TaskState;

/**
 * A2A 1.0's JSON shapes of our records: a task (id, contextId, status with a {@code TASK_STATE_*} state, artifacts),
 * a message ({@code ROLE_USER} or {@code ROLE_AGENT}, parts), a part ({@code {"text"}}, {@code {"data"}} or
 * {@code {"url", "mediaType", "filename"}}). Pure.
 */
public final class A2aJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private A2aJson() {
    }

    public static ObjectNode task(RoutedTask task) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", task.getTaskId());
        node.put("contextId", task.getContextId());
        node.set("status", status(task.getTaskId(), task.getSequence(), task.getState(), task.getUpdatedAt(),
                task.getReason()));
        ArrayNode artifacts = node.putArray("artifacts");
        for (Artifact artifact : task.getArtifacts()) {
            artifacts.add(artifact(artifact));
        }
        ArrayNode history = node.putArray("history");
        if (task.getMessage() != null) {
            history.add(message(task.getMessage()));
        }
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("skill", task.getSkill());
        metadata.put("sequence", task.getSequence());
        metadata.put("attempt", task.getAttempt());
        if (task.getAgentId() != null) {
            metadata.put("agentId", task.getAgentId());
        }
        return node;
    }

    /** A2A's TaskStatus: the state, when, and the reason as the agent's message where there is one. */
    static ObjectNode status(String taskId, long sequence, TaskState state, Instant at, String reason) {
        ObjectNode status = JSON.createObjectNode();
        status.put("state", "TASK_STATE_" + state.name());
        status.put("timestamp", at.toString());
        if (reason != null) {
            ObjectNode message = JSON.createObjectNode();
            message.put("messageId", taskId + "-" + sequence);
            message.put("role", "ROLE_AGENT");
            message.putArray("parts").addObject().put("text", reason);
            status.set("message", message);
        }
        return status;
    }

    /** A2A's TaskStatusUpdateEvent of one of our task events; its sequence, agent and attempt in the metadata. */
    static ObjectNode statusUpdate(TaskEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("taskId", event.getTaskId());
        node.put("contextId", event.getContextId());
        node.set("status", status(event.getTaskId(), event.getSequence(), event.getState(), event.getAt(),
                event.getReason()));
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("sequence", event.getSequence());
        metadata.put("attempt", event.getAttempt());
        if (event.getAgentId() != null) {
            metadata.put("agentId", event.getAgentId());
        }
        return node;
    }

    static ObjectNode artifact(Artifact artifact) {
        ObjectNode a = JSON.createObjectNode();
        a.put("artifactId", artifact.getArtifactId());
        if (artifact.getName() != null) {
            a.put("name", artifact.getName());
        }
        a.set("parts", parts(artifact.getParts()));
        return a;
    }

    public static ObjectNode message(A2aMessage message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("messageId", message.getMessageId());
        node.put("role", message.getRole() == MessageRole.USER ? "ROLE_USER" : "ROLE_AGENT");
        node.set("parts", parts(message.getParts()));
        if (message.getContextId() != null) {
            node.put("contextId", message.getContextId());
        }
        if (message.getTaskId() != null) {
            node.put("taskId", message.getTaskId());
        }
        return node;
    }

    static ArrayNode parts(List<Part> parts) {
        ArrayNode array = JSON.createArrayNode();
        for (Part part : parts) {
            ObjectNode p = array.addObject();
            switch (part.getKind()) {
                case TEXT -> p.put("text", part.getText());
                case DATA -> {
                    try {
                        p.set("data", JSON.readTree(part.getData()));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("a data part that is not JSON: " + part.getData(), e);
                    }
                }
                case FILE -> {
                    p.put("url", part.getFileUri());
                    if (part.getMimeType() != null) {
                        p.put("mediaType", part.getMimeType());
                    }
                    if (part.getName() != null) {
                        p.put("filename", part.getName());
                    }
                }
            }
        }
        return array;
    }

    /** A message from a caller; what is wrong with it, field by field, in {@code errors}. */
    static A2aMessage message(JsonNode node, List<String> errors) {
        if (!node.isObject()) {
            errors.add("message: an object is required");
            return null;
        }
        String messageId = node.path("messageId").asText("");
        if (messageId.isBlank()) {
            errors.add("message.messageId: required");
        }
        String role = node.path("role").asText("");
        if (!role.equals("ROLE_USER")) {
            errors.add("message.role: a client sends ROLE_USER");
        }
        List<Part> parts = new ArrayList<>();
        JsonNode array = node.path("parts");
        if (!array.isArray() || array.isEmpty()) {
            errors.add("message.parts: at least one part");
        } else {
            for (int i = 0; i < array.size(); i++) {
                JsonNode p = array.get(i);
                if (p.path("text").isTextual()) {
                    parts.add(Part.newBuilder().setKind(PartKind.TEXT).setText(p.get("text").asText()).build());
                } else if (p.has("data")) { // any JSON value (A2A 1.0)
                    parts.add(Part.newBuilder().setKind(PartKind.DATA).setData(p.get("data").toString()).build());
                } else if (p.path("url").isTextual()) {
                    parts.add(Part.newBuilder().setKind(PartKind.FILE).setFileUri(p.get("url").asText())
                            .setMimeType(p.path("mediaType").isTextual() ? p.get("mediaType").asText() : null)
                            .setName(p.path("filename").isTextual() ? p.get("filename").asText() : null).build());
                } else {
                    errors.add("message.parts[" + i + "]: text, data or url (a file by URL; raw bytes are not taken)");
                }
            }
        }
        return A2aMessage.newBuilder().setMessageId(messageId).setRole(MessageRole.USER).setParts(parts)
                .setContextId(node.path("contextId").isTextual() ? node.get("contextId").asText() : null)
                .setTaskId(node.path("taskId").isTextual() ? node.get("taskId").asText() : null).build();
    }
}

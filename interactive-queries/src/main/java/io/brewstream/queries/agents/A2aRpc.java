package io.brewstream.queries.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON-RPC 2.0 envelopes of A2A's JSON-RPC binding. Pure. */
final class A2aRpc {
    private A2aRpc() {
    }

    static ObjectNode result(JsonNode value) {
        ObjectNode node = A2aJson.JSON.createObjectNode();
        node.set("result", value);
        return node;
    }

    static ObjectNode error(int code, String message) {
        ObjectNode node = A2aJson.JSON.createObjectNode();
        node.putObject("error").put("code", code).put("message", message);
        return node;
    }

    /** The response to request {@code id} (null when it could not be read) with a result or an error. */
    static ObjectNode response(JsonNode id, ObjectNode payload) {
        ObjectNode response = A2aJson.JSON.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id == null ? A2aJson.JSON.nullNode() : id);
        response.setAll(payload);
        return response;
    }
}

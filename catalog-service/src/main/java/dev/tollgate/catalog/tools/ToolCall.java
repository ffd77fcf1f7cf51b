package dev.tollgate.catalog.tools;

import com.fasterxml.jackson.databind.JsonNode;

/** One invocation: who asks, in which connection instance, which action, with which (validated) parameters. */
public record ToolCall(String productId, String userId, String instanceId, String orderId, String action,
        JsonNode parameters) {
}

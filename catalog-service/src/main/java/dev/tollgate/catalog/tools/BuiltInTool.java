package dev.tollgate.catalog.tools;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A tool that runs inside catalog-service. Its actions and their schemas are declared here, in code. */
public interface BuiltInTool {

    /** The value of a product's {@code builtin_tool}, e.g. {@code kv_memory}. */
    String key();

    List<ToolAction> actions();

    /** Runs one validated call; the result becomes the purchase's {@code data}. */
    JsonNode invoke(ToolCall call) throws ToolFailure;
}

package dev.tollgate.catalog.tools;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Persistent key-value memory for an agent, scoped to the caller's connection instance ({@code x-instance-id}):
 * the "persistent storage" the contract mentions. Another user's instance is never visible, even with its id.
 */
@ApplicationScoped
public class KeyValueMemoryTool implements BuiltInTool {

    static final int MAX_KEYS = 1000;

    /** What each action answers (the purchase's {@code data}). */
    public record Stored(String key, boolean stored) {
    }

    /** {@code value} is null, not absent, when nothing is stored under the key. */
    public record Recalled(String key, JsonNode value, boolean found) {
    }

    public record Deleted(String key, boolean deleted) {
    }

    public record Keys(List<String> keys) {
    }

    private final MemoryRepository memory;
    private final ObjectMapper json;

    public KeyValueMemoryTool(MemoryRepository memory, ObjectMapper json) {
        this.memory = memory;
        this.json = json;
    }

    @Override
    public String key() {
        return "kv_memory";
    }

    @Override
    public List<ToolAction> actions() {
        String key = "\"key\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200}";
        return List.of(
                new ToolAction("set", "Remember a JSON value under a key (replaces any previous value)",
                        "{\"type\":\"object\",\"required\":[\"key\",\"value\"],\"properties\":{" + key
                                + ",\"value\":{}},\"additionalProperties\":false}"),
                new ToolAction("get", "Recall the value stored under a key (null when there is none)",
                        "{\"type\":\"object\",\"required\":[\"key\"],\"properties\":{" + key
                                + "},\"additionalProperties\":false}"),
                new ToolAction("delete", "Forget a key",
                        "{\"type\":\"object\",\"required\":[\"key\"],\"properties\":{" + key
                                + "},\"additionalProperties\":false}"),
                new ToolAction("list", "List the keys remembered in this instance",
                        "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}"));
    }

    @Override
    public JsonNode invoke(ToolCall call) throws ToolFailure {
        String scope = call.userId() + "\u0000" + call.instanceId();
        Object answer = switch (call.action()) {
            case "set" -> {
                String key = call.parameters().get("key").asText();
                if (memory.count(scope) >= MAX_KEYS && !memory.holds(scope, key)) {
                    throw new ToolFailure("memory_full", "This instance already holds " + MAX_KEYS + " keys");
                }
                memory.put(scope, key, call.parameters().get("value").toString());
                yield new Stored(key, true);
            }
            case "get" -> {
                String key = call.parameters().get("key").asText();
                Optional<String> value = memory.find(scope, key);
                yield new Recalled(key, value.isEmpty() ? null : parse(value.get()), value.isPresent());
            }
            case "delete" -> {
                String key = call.parameters().get("key").asText();
                yield new Deleted(key, memory.delete(scope, key));
            }
            case "list" -> new Keys(memory.keys(scope));
            default -> throw new ToolFailure("unknown_action", "kv_memory has no action " + call.action());
        };
        return json.valueToTree(answer);
    }

    private JsonNode parse(String value) throws ToolFailure {
        try {
            return json.readTree(value);
        } catch (IOException e) {
            throw new ToolFailure("corrupt_value", "a stored value could not be read back");
        }
    }
}

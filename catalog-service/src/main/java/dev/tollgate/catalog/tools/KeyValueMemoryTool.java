package dev.tollgate.catalog.tools;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import dev.tollgate.catalog.products.ProductAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Persistent key-value memory for an agent, scoped to the caller's connection instance ({@code x-instance-id}):
 * the "persistent storage" the contract mentions. Another user's instance is never visible, even with its id.
 */
@ApplicationScoped
public class KeyValueMemoryTool implements BuiltInTool {

    static final int MAX_KEYS = 1000;

    @Inject
    MongoClient mongo;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Override
    public String key() {
        return "kv_memory";
    }

    @Override
    public List<ProductAction> actions() {
        String key = "\"key\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200}";
        return List.of(
                new ProductAction("set", "Remember a JSON value under a key (replaces any previous value)",
                        "{\"type\":\"object\",\"required\":[\"key\",\"value\"],\"properties\":{" + key
                                + ",\"value\":{}},\"additionalProperties\":false}"),
                new ProductAction("get", "Recall the value stored under a key (null when there is none)",
                        "{\"type\":\"object\",\"required\":[\"key\"],\"properties\":{" + key
                                + "},\"additionalProperties\":false}"),
                new ProductAction("delete", "Forget a key",
                        "{\"type\":\"object\",\"required\":[\"key\"],\"properties\":{" + key
                                + "},\"additionalProperties\":false}"),
                new ProductAction("list", "List the keys remembered in this instance",
                        "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}"));
    }

    @Override
    public JsonNode invoke(ToolCall call) throws ToolFailure {
        MongoCollection<Document> memory = mongo.getDatabase(database).getCollection("memory");
        String scope = call.userId() + "\u0000" + call.instanceId();
        ObjectNode result = json.createObjectNode();
        switch (call.action()) {
            case "set" -> {
                String key = call.parameters().get("key").asText();
                if (memory.countDocuments(Filters.eq("scope", scope)) >= MAX_KEYS
                        && memory.find(Filters.eq("_id", scope + "\u0000" + key)).first() == null) {
                    throw new ToolFailure("memory_full", "This instance already holds " + MAX_KEYS + " keys");
                }
                memory.replaceOne(Filters.eq("_id", scope + "\u0000" + key),
                        new Document("_id", scope + "\u0000" + key).append("scope", scope).append("key", key)
                                .append("value", call.parameters().get("value").toString())
                                .append("updatedAt", java.util.Date.from(Instant.now())),
                        new ReplaceOptions().upsert(true));
                result.put("key", key).put("stored", true);
            }
            case "get" -> {
                String key = call.parameters().get("key").asText();
                Document d = memory.find(Filters.eq("_id", scope + "\u0000" + key)).first();
                result.put("key", key);
                result.set("value", d == null ? null : parse(d.getString("value")));
                result.put("found", d != null);
            }
            case "delete" -> {
                String key = call.parameters().get("key").asText();
                long deleted = memory.deleteOne(Filters.eq("_id", scope + "\u0000" + key)).getDeletedCount();
                result.put("key", key).put("deleted", deleted == 1);
            }
            case "list" -> {
                var keys = result.putArray("keys");
                memory.find(Filters.eq("scope", scope)).sort(Sorts.ascending("key"))
                        .forEach(d -> keys.add(d.getString("key")));
            }
            default -> throw new ToolFailure("unknown_action", "kv_memory has no action " + call.action());
        }
        return result;
    }

    private JsonNode parse(String value) throws ToolFailure {
        try {
            return json.readTree(value);
        } catch (java.io.IOException e) {
            throw new ToolFailure("corrupt_value", "a stored value could not be read back");
        }
    }
}

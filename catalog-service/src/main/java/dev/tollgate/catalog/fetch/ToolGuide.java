package dev.tollgate.catalog.fetch;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.catalog.products.Product;
import dev.tollgate.catalog.products.ProductAction;

/** The prose and the example that tell an LLM caller how to use the tools it was given. */
public final class ToolGuide {

    private ToolGuide() {
    }

    /** The body of the example's purchase. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ExamplePurchase(String productId, JsonNode parameters) {
    }

    public static String preprompt(List<Product> tools, long total, String baseUrl) {
        if (total == 0) {
            return "No tools are enabled on your budget, so there is nothing to call yet. Ask the budget's owner to "
                    + "enable tools, or answer without tools.";
        }
        StringBuilder s = new StringBuilder();
        s.append("You can call ").append(total).append(total == 1 ? " tool" : " tools")
                .append(" by POSTing {\"product_id\": ..., \"parameters\": {\"action\": ..., ...}} to ")
                .append(baseUrl).append("/products/purchase with your bearer token. Each call is charged in credits ")
                .append("(100 credits = $1) only when it succeeds. Tools on this page:\n");
        for (Product p : tools) {
            s.append("- ").append(p.name).append(" (").append(p.displayName).append(", ").append(p.priceCredits)
                    .append(" credits): ").append(p.description);
            if (p.actions != null && !p.actions.isEmpty()) {
                s.append(" Actions: ").append(String.join(", ", p.actions.stream().map(a -> a.name).toList())).append('.');
            }
            s.append('\n');
        }
        return s.toString().strip();
    }

    /** A curl command that works when pasted (with $TOKEN set): a valid call of the first tool's first action. */
    public static String exampleCall(Product p, String baseUrl, String instanceId, ObjectMapper mapper) {
        if (p == null) {
            return "curl -s " + baseUrl + "/products/fetch -H \"Authorization: Bearer $TOKEN\"";
        }
        ObjectNode parameters = mapper.createObjectNode();
        ProductAction action = p.actions == null || p.actions.isEmpty() ? null : p.actions.getFirst();
        if (action != null) {
            parameters.put("action", action.name);
            try {
                JsonNode schema = mapper.readTree(action.parametersSchema);
                fillRequired(schema, parameters, mapper);
            } catch (IOException ignored) {
                // leave just the action
            }
        }
        String body;
        try {
            body = mapper.writeValueAsString(new ExamplePurchase(p.id.toHexString(), parameters));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the example purchase could not be written as JSON", e);
        }
        return "curl -s -X POST " + baseUrl + "/products/purchase -H \"Authorization: Bearer $TOKEN\" "
                + "-H 'Content-Type: application/json' -H 'x-instance-id: " + instanceId + "' -d '"
                + body.replace("'", "'\\''") + "'";
    }

    private static void fillRequired(JsonNode schema, ObjectNode target, ObjectMapper mapper) {
        JsonNode required = schema.path("required");
        JsonNode properties = schema.path("properties");
        for (Iterator<JsonNode> it = required.elements(); it.hasNext();) {
            String name = it.next().asText();
            target.set(name, example(properties.path(name), mapper));
        }
    }

    private static JsonNode example(JsonNode property, ObjectMapper mapper) {
        if (property.has("examples") && property.get("examples").isArray() && !property.get("examples").isEmpty()) {
            return property.get("examples").get(0);
        }
        if (property.has("enum") && !property.get("enum").isEmpty()) {
            return property.get("enum").get(0);
        }
        String type = property.path("type").asText("string");
        return switch (type) {
            case "integer", "number" -> mapper.getNodeFactory().numberNode(
                    property.has("minimum") ? property.get("minimum").asInt() : 1);
            case "boolean" -> mapper.getNodeFactory().booleanNode(true);
            case "array" -> mapper.createArrayNode();
            case "object" -> {
                ObjectNode nested = mapper.createObjectNode();
                fillRequired(property, nested, mapper);
                yield nested;
            }
            default -> mapper.getNodeFactory().textNode("example");
        };
    }
}

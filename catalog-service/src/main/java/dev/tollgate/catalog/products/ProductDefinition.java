package dev.tollgate.catalog.products;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.tools.BuiltInTools;
import dev.tollgate.http.RequestFields;
import dev.tollgate.http.egress.EgressPolicy;
import dev.tollgate.http.egress.EgressRefused;

/**
 * What an admin sends to create or replace a product, checked completely before anything is stored: every action
 * schema must compile, a built-in must exist, a vendor URL must meet the egress rules ({@link EgressPolicy}).
 */
public record ProductDefinition(String slug, String name, String displayName, String description, long priceCredits,
        List<ProductAction> actions, List<String> requiredCredentials, String invocation, String builtinTool,
        String vendorUrl, Map<String, Object> extra) {

    static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    static final Pattern CREDENTIAL_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final long MAX_PRICE = 100_000_000L;

    @SuppressWarnings("unchecked")
    public static ProductDefinition parse(JsonNode body, BuiltInTools builtIns, ActionSchemas schemas,
            ObjectMapper mapper, EgressPolicy vendorEgress) {
        RequestFields f = RequestFields.ofBody(body);
        String slug = f.requiredString("slug", 64, SLUG);
        String name = f.requiredString("name", 64, FUNCTION_NAME);
        String displayName = f.requiredString("display_name", 200);
        String description = f.requiredString("description", 4000);
        Long price = f.requiredNonNegative("price_credits", MAX_PRICE);
        JsonNode invocationNode = f.node("invocation", true);
        String invocation = null;
        String builtinTool = null;
        String vendorUrl = null;
        List<ProductAction> actions = null;
        if (invocationNode != null) {
            String type = invocationNode.path("type").asText("");
            if (Product.BUILTIN.equals(type)) {
                invocation = type;
                builtinTool = invocationNode.path("tool").asText("");
                var tool = builtIns.find(builtinTool);
                if (tool.isEmpty()) {
                    f.problem(List.of("invocation", "tool"), "Unknown built-in tool; one of " + builtIns.keys(),
                            "enum", builtinTool);
                } else {
                    actions = tool.get().actions();
                }
            } else if (Product.VENDOR.equals(type)) {
                invocation = type;
                vendorUrl = invocationNode.path("url").asText("");
                try {
                    vendorEgress.check(vendorUrl);
                } catch (EgressRefused refused) {
                    f.problem(List.of("invocation", "url"), "The vendor endpoint " + refused.reason()
                            + " (https to a public address, or a host on tollgate.catalog.vendors.private-allow-list)",
                            "url_not_allowed", vendorUrl);
                }
            } else {
                f.problem(List.of("invocation", "type"), "Input should be 'builtin' or 'vendor'", "enum", type);
            }
        }
        JsonNode actionsNode = f.node("actions", Product.VENDOR.equals(invocation));
        if (actionsNode != null && !Product.BUILTIN.equals(invocation)) {
            actions = parseActions(actionsNode, f, schemas);
        }
        List<String> credentials = new ArrayList<>();
        JsonNode credentialsNode = f.node("required_credentials", false);
        if (credentialsNode != null) {
            if (!credentialsNode.isArray()) {
                f.problem(List.of("required_credentials"), "Input should be a valid list", "list_type", credentialsNode);
            } else {
                for (int i = 0; i < credentialsNode.size(); i++) {
                    String key = credentialsNode.get(i).asText("");
                    if (!CREDENTIAL_KEY.matcher(key).matches()) {
                        f.problem(List.of("required_credentials", i), "Credential keys are lower_snake_case",
                                "string_pattern_mismatch", credentialsNode.get(i));
                    } else {
                        credentials.add(key);
                    }
                }
            }
        }
        Map<String, Object> extra = f.optionalObject("extra", mapper);
        if (extra != null) {
            extra.keySet().stream().filter(k -> k.startsWith("$") || k.contains(".")).forEach(k ->
                    f.problem(List.of("extra", k), "Field names may not start with '$' or contain '.'",
                            "invalid_key", k));
        }
        f.done();
        return new ProductDefinition(slug, name, displayName, description, price, actions, List.copyOf(credentials),
                invocation, builtinTool, vendorUrl, extra == null ? Map.of() : extra);
    }

    private static List<ProductAction> parseActions(JsonNode node, RequestFields f, ActionSchemas schemas) {
        List<ProductAction> actions = new ArrayList<>();
        if (!node.isArray() || node.isEmpty()) {
            f.problem(List.of("actions"), "At least one action is required", "too_short", node);
            return actions;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode a = node.get(i);
            String actionName = a.path("name").asText("");
            if (!FUNCTION_NAME.matcher(actionName).matches()) {
                f.problem(List.of("actions", i, "name"), "Action names are identifiers", "string_pattern_mismatch",
                        a.get("name"));
                continue;
            }
            JsonNode schema = a.get("parameters_schema");
            if (schema == null || !schema.isObject()) {
                f.problem(List.of("actions", i, "parameters_schema"), "A JSON Schema object is required", "missing",
                        schema);
                continue;
            }
            try {
                schemas.check(schema.toString());
            } catch (IllegalArgumentException e) {
                f.problem(List.of("actions", i, "parameters_schema"), e.getMessage(), "invalid_schema", schema);
                continue;
            }
            actions.add(new ProductAction(actionName, a.path("description").asText(""), schema.toString()));
        }
        return actions;
    }
}

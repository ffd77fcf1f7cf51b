package dev.tollgate.catalog.products;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.tools.BuiltInTool;
import dev.tollgate.catalog.tools.BuiltInTools;
import dev.tollgate.platform.egress.EgressPolicy;
import dev.tollgate.platform.egress.EgressRefused;
import dev.tollgate.platform.web.RequestFields;

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
        if (invocationNode != null && !invocationNode.isObject()) {
            f.problem(List.of("invocation"), "Input should be a valid dictionary", "dict_type", invocationNode);
        } else if (invocationNode != null) {
            String type = text(invocationNode, "type");
            if (Product.BUILTIN.equals(type)) {
                invocation = type;
                onlyFields(invocationNode, Set.of("type", "tool"), f);
                builtinTool = text(invocationNode, "tool");
                Optional<BuiltInTool> tool = builtinTool == null ? Optional.empty() : builtIns.find(builtinTool);
                if (tool.isEmpty()) {
                    f.problem(List.of("invocation", "tool"), "Unknown built-in tool; one of " + builtIns.keys(),
                            "enum", invocationNode.get("tool"));
                } else {
                    actions = tool.get().actions().stream().map(ProductAction::of).toList();
                }
            } else if (Product.VENDOR.equals(type)) {
                invocation = type;
                onlyFields(invocationNode, Set.of("type", "url"), f);
                vendorUrl = text(invocationNode, "url");
                try {
                    if (vendorUrl == null) {
                        throw new EgressRefused("must be a string");
                    }
                    vendorEgress.check(vendorUrl);
                } catch (EgressRefused refused) {
                    f.problem(List.of("invocation", "url"), "The vendor endpoint " + refused.reason()
                            + " (https to a public address, or a host on tollgate.catalog.vendors.private-allow-list)",
                            "url_not_allowed", invocationNode.get("url"));
                }
            } else {
                f.problem(List.of("invocation", "type"), "Input should be 'builtin' or 'vendor'", "enum",
                        invocationNode.get("type"));
            }
        }
        JsonNode actionsNode = f.node("actions", Product.VENDOR.equals(invocation));
        if (actionsNode != null && Product.BUILTIN.equals(invocation)) {
            // They used to be ignored with a 200: an admin would believe the product offers them.
            f.problem(List.of("actions"), "A built-in tool declares its own actions; leave actions out",
                    "extra_forbidden", actionsNode);
        } else if (actionsNode != null) {
            actions = parseActions(actionsNode, f, schemas);
        }
        List<String> credentials = new ArrayList<>();
        JsonNode credentialsNode = f.node("required_credentials", false);
        if (credentialsNode != null) {
            if (!credentialsNode.isArray()) {
                f.problem(List.of("required_credentials"), "Input should be a valid list", "list_type", credentialsNode);
            } else {
                for (int i = 0; i < credentialsNode.size(); i++) {
                    String key = text(credentialsNode.get(i));
                    if (key == null || !CREDENTIAL_KEY.matcher(key).matches()) {
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
            if (!a.isObject()) {
                f.problem(List.of("actions", i), "Input should be a valid dictionary", "dict_type", a);
                continue;
            }
            onlyFields(a, Set.of("name", "description", "parameters_schema"), f, "actions", i);
            String actionName = text(a, "name");
            if (actionName == null || !FUNCTION_NAME.matcher(actionName).matches()) {
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
            JsonNode description = a.get("description");
            if (description != null && !description.isNull()
                    && (!description.isTextual() || description.asText().length() > 4000)) {
                f.problem(List.of("actions", i, "description"), "Input should be a string of at most 4000 characters",
                        "string_type", description);
                continue;
            }
            actions.add(new ProductAction(actionName, text(a, "description") == null ? "" : text(a, "description"),
                    schema.toString()));
        }
        return actions;
    }

    /** The field's text, or null when it is absent or not a string (a number is not coerced into one). */
    private static String text(JsonNode object, String field) {
        return text(object.get(field));
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /** Refuses fields outside {@code allowed} (a misspelt field used to be dropped without a word). */
    private static void onlyFields(JsonNode object, Set<String> allowed, RequestFields f, Object... at) {
        object.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                List<Object> loc = new ArrayList<>(List.of(at.length == 0 ? new Object[] { "invocation" } : at));
                loc.add(name);
                f.problem(loc, "Extra inputs are not permitted; one of " + new TreeSet<>(allowed),
                        "extra_forbidden", object.get(name));
            }
        });
    }
}

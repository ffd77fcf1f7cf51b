package dev.tollgate.catalog.bundles;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.RequestFields;

/**
 * The body of creating a bundle: a name, a description, and the products and workflows it offers. Every product id
 * must name a product when the bundle is made (workflows are another service's, so only their form is checked).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BundleRequest(String name, String description, List<String> productIds, List<String> workflowIds) {

    /** {@code isProduct}: whether an id names a product this catalog has. */
    public static BundleRequest from(JsonNode body, Predicate<String> isProduct) {
        RequestFields f = RequestFields.ofBody(body);
        String name = f.requiredString("name", 200);
        String description = f.optionalString("description", 4000);
        List<String> productIds = ids(f.node("product_ids", false), "product_ids", f, isProduct);
        List<String> workflowIds = ids(f.node("workflow_ids", false), "workflow_ids", f, id -> true);
        f.done();
        return new BundleRequest(name, description, productIds, workflowIds);
    }

    private static List<String> ids(JsonNode node, String field, RequestFields f, Predicate<String> known) {
        List<String> ids = new ArrayList<>();
        if (node == null) {
            return ids;
        }
        if (!node.isArray()) {
            f.problem(List.of(field), "Input should be a valid list", "list_type", node);
            return ids;
        }
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                f.problem(List.of(field, i), "Input should be a valid string", "string_type", node.get(i));
                continue;
            }
            String id = node.get(i).asText();
            if (!known.test(id)) {
                f.problem(List.of(field, i), "Unknown product", "not_found", node.get(i));
            } else if (id.isBlank()) {
                f.problem(List.of(field, i), "Ids are non-empty strings", "string_too_short", node.get(i));
            } else {
                ids.add(id);
            }
        }
        return ids;
    }
}

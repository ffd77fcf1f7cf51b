package dev.tollgate.catalog.issues;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.catalog.http.ValidationProblem;
import dev.tollgate.catalog.http.ValidationProblem.FieldError;

/** The body of {@code POST /issues/report}, validated field by field like the reference API does. */
public record IssueReportRequest(String productId, String errorMessage, String recommendedImprovements) {

    static final int MAX_TEXT = 10_000;

    public static IssueReportRequest from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ValidationProblem(List.of(FieldError.of(List.of("body"), "Input should be a valid dictionary",
                    "model_attributes_type", body)));
        }
        List<FieldError> errors = new ArrayList<>();
        String productId = requiredText(body, "product_id", errors);
        String errorMessage = requiredText(body, "error_message", errors);
        String improvements = null;
        JsonNode node = body.get("recommended_improvements");
        if (node != null && !node.isNull()) {
            if (!node.isTextual()) {
                errors.add(FieldError.of(List.of("body", "recommended_improvements"), "Input should be a valid string",
                        "string_type", node));
            } else if (node.asText().length() > MAX_TEXT) {
                errors.add(tooLong("recommended_improvements", node));
            } else {
                improvements = node.asText();
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationProblem(errors);
        }
        return new IssueReportRequest(productId, errorMessage, improvements);
    }

    private static String requiredText(JsonNode body, String field, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            errors.add(FieldError.of(List.of("body", field), "Field required", "missing", body));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(FieldError.of(List.of("body", field), "Input should be a valid string", "string_type", node));
            return null;
        }
        if (node.asText().isBlank()) {
            errors.add(FieldError.of(List.of("body", field), "String should have at least 1 character",
                    "string_too_short", node));
            return null;
        }
        if (node.asText().length() > MAX_TEXT) {
            errors.add(tooLong(field, node));
            return null;
        }
        return node.asText();
    }

    private static FieldError tooLong(String field, JsonNode node) {
        return new FieldError(List.of("body", field), "String should have at most " + MAX_TEXT + " characters",
                "string_too_long", null, java.util.Map.of("max_length", MAX_TEXT));
    }
}

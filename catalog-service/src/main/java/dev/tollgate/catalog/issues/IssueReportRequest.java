package dev.tollgate.catalog.issues;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.RequestFields;

/** The body of {@code POST /issues/report}, validated field by field like the reference API does. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IssueReportRequest(String productId, String errorMessage, String recommendedImprovements) {

    static final int MAX_TEXT = 10_000;

    public static IssueReportRequest from(JsonNode body) {
        RequestFields fields = RequestFields.ofBody(body);
        String productId = fields.requiredString("product_id", MAX_TEXT);
        String errorMessage = fields.requiredString("error_message", MAX_TEXT);
        String improvements = fields.optionalString("recommended_improvements", MAX_TEXT);
        fields.done();
        return new IssueReportRequest(productId, errorMessage, improvements);
    }
}

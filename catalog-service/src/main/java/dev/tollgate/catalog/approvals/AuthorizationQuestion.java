package dev.tollgate.catalog.approvals;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.catalog.approvals.WorkflowAuthorization.RequiredCredential;
import dev.tollgate.platform.web.RequestFields;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of workflow-service's question before a trigger ({@code POST /internal/workflow-authorizations}): may this
 * budget run this workflow, which needs these credentials? Each required credential is a key, or
 * {@code {"key", "description"}}; anything else in the list names no credential.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AuthorizationQuestion(String budgetId, String workflowId,
        @Schema(description = "Keys, or {key, description} objects") List<RequiredCredential> requiredCredentials) {

    public static AuthorizationQuestion from(JsonNode body) {
        RequestFields f = RequestFields.ofBody(body);
        String budgetId = f.requiredString("budget_id", 64);
        String workflowId = f.requiredString("workflow_id", 64);
        JsonNode required = f.node("required_credentials", false);
        f.done();
        return new AuthorizationQuestion(budgetId, workflowId, requiredCredentials(required));
    }

    private static List<RequiredCredential> requiredCredentials(JsonNode required) {
        List<RequiredCredential> credentials = new ArrayList<>();
        if (required != null && required.isArray()) {
            for (JsonNode c : required) {
                String key = c.isTextual() ? c.asText() : c.path("key").asText();
                credentials.add(new RequiredCredential(key, c.path("description").asText("Credential " + key)));
            }
        }
        return credentials;
    }
}

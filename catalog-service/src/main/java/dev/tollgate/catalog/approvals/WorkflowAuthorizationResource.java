package dev.tollgate.catalog.approvals;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.catalog.approvals.WorkflowAuthorization.RequiredCredential;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Internal, for workflow-service: "may budget B run workflow W, which needs credentials C?" Either
 * {@code allowed: true}, or the blockers with the approval requests opened (or already open) to clear them.
 */
@Path("/internal/workflow-authorizations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("service")
public class WorkflowAuthorizationResource {

    private final ApprovalService approvals;
    private final JsonBody json;

    public WorkflowAuthorizationResource(ApprovalService approvals, JsonBody json) {
        this.approvals = approvals;
        this.json = json;
    }

    @POST
    public Envelope<WorkflowAuthorization> authorize(String body) {
        RequestFields f = RequestFields.ofBody(json.parse(body));
        String budgetId = f.requiredString("budget_id", 64);
        String workflowId = f.requiredString("workflow_id", 64);
        JsonNode required = f.node("required_credentials", false);
        f.done();
        return Envelope.of(approvals.authorize(budgetId, workflowId, requiredCredentials(required)));
    }

    /** Each entry is a key, or {@code {"key", "description"}}; anything else in the list names no credential. */
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

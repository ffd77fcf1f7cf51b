package dev.tollgate.catalog.approvals;


import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

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
    public Envelope<WorkflowAuthorization> authorize(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AuthorizationQuestion.class))) String body) {
        AuthorizationQuestion q = AuthorizationQuestion.from(json.parse(body));
        return Envelope.of(approvals.authorize(q.budgetId(), q.workflowId(), q.requiredCredentials()));
    }
}

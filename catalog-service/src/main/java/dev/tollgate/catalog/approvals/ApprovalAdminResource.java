package dev.tollgate.catalog.approvals;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.catalog.budgets.Caller;
import dev.tollgate.catalog.budgets.CredentialValue;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.ValidationProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * Seeing and approving approval requests. Approving an {@code add_workflow} request enables the workflow, an admin's
 * act alone; approving a {@code credential} request takes the credential's value and stores it, which the budget's
 * owner may do too. Anyone else's requests are not found.
 */
@Path("/admin/approval-requests")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ "admin", "user" })
public class ApprovalAdminResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ApprovalRequests(List<ApprovalRequestView> approvalRequests) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OneApprovalRequest(ApprovalRequestView approvalRequest) {
    }

    private final ApprovalService approvals;
    private final JsonBody json;
    private final JsonWebToken caller;

    public ApprovalAdminResource(ApprovalService approvals, JsonBody json, JsonWebToken caller) {
        this.approvals = approvals;
        this.json = json;
        this.caller = caller;
    }

    @GET
    public Envelope<ApprovalRequests> list(@QueryParam("budget_id") String budgetId,
            @QueryParam("status") String status) {
        if (budgetId == null) { // it answered "Budget not found"
            throw new ValidationProblem(List.of(ValidationProblem.FieldError.of(
                    List.of("query", "budget_id"), "Field required", "missing", null)));
        }
        return Envelope.of(new ApprovalRequests(approvals.list(budgetId, status, Caller.of(caller)).stream()
                .map(ApprovalRequestView::of).toList()));
    }

    @POST
    @Path("/{id}/approve")
    public Envelope<OneApprovalRequest> approve(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CredentialValue.class))) String body) {
        ApprovalRequest r = approvals.approve(id, Caller.of(caller),
                () -> CredentialValue.from(json.parse(body)).value());
        return Envelope.of(new OneApprovalRequest(ApprovalRequestView.of(r)));
    }
}

package dev.tollgate.catalog.issues;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.JsonBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

@Path("/issues/report")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class IssueReportResource {

    /** The contract's answer: unlike the rest of the api family it carries a {@code message}. */
    public record Reported(boolean success, String message, Recorded data) {
    }

    /** What was recorded; {@code product_id} is the reference exactly as sent, found or not. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Recorded(String issueId, boolean productFound, String lookupMethod, String productId,
            String productName, String status) {
    }

    private final IssueService issues;
    private final JsonBody json;
    private final JsonWebToken caller;

    public IssueReportResource(IssueService issues, JsonBody json, JsonWebToken caller) {
        this.issues = issues;
        this.json = json;
        this.caller = caller;
    }

    /** Always 200 for a well-formed report, found product or not: an agent's flow must never block on reporting. */
    @POST
    @RolesAllowed("user")
    public Reported report(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IssueReportRequest.class))) String body,
            @HeaderParam("x-instance-id") String instanceId) {
        IssueReportRequest request = IssueReportRequest.from(json.parse(body));
        IssueReport report = issues.report(request,
                new IssueService.Reporter(caller.getSubject(), caller.getClaim("budget_id"), instanceId));
        boolean found = report.productId != null;
        return new Reported(true, found ? "Issue reported" : "Issue recorded; the product could not be resolved",
                new Recorded(report.id.toHexString(), found, report.lookupMethod, request.productId(),
                        report.productName, report.status));
    }
}

package dev.tollgate.catalog.issues;

import java.util.List;

import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** Admins triage issue reports: list them (by status, by product) and close them with a resolution. */
@Path("/admin/issues")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class IssueAdminResource {

    public record Issues(List<IssueView> issues) {
    }

    public record OneIssue(IssueView issue) {
    }

    private final IssueService issues;
    private final JsonBody json;

    public IssueAdminResource(IssueService issues, JsonBody json) {
        this.issues = issues;
        this.json = json;
    }

    @GET
    public Envelope<Issues> list(@QueryParam("status") String status, @QueryParam("product_id") String productId,
            @QueryParam("limit") String limit) {
        int n = RequestFields.queryInt("limit", limit, 100, 1, 1000);
        return Envelope.of(new Issues(issues.newest(status, productId, n).stream().map(IssueView::of).toList()));
    }

    @POST
    @Path("/{id}/close")
    public Envelope<OneIssue> close(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CloseRequest.class))) String body) {
        IssueReport r = issues.find(id);
        CloseRequest request = json.parseOptional(body).map(CloseRequest::from).orElse(CloseRequest.NONE);
        return Envelope.of(new OneIssue(IssueView.of(issues.close(r, request.resolution()))));
    }
}

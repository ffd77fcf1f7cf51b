package dev.tollgate.workflow.runs;

import java.util.Map;

import dev.tollgate.workflow.http.WebhookError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/api/agent-webhooks/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    @Inject
    JsonWebToken caller;

    @Inject
    RunRepository runs;

    @GET
    @Path("/{runId}")
    @RolesAllowed("user")
    public Map<String, Object> status(@PathParam("runId") String runId) {
        if (!ObjectId.isValid(runId)) {
            throw new WebhookError(400, "invalid_run_id", "Run id must be a 24-character hexadecimal ObjectId");
        }
        Run run = runs.findOwned(new ObjectId(runId), caller.getSubject())
                .orElseThrow(() -> new WebhookError(404, "run_not_found", "No run " + runId + " for this caller"));
        return Map.of("success", true, "data", Map.of("run", RunView.of(run)));
    }
}

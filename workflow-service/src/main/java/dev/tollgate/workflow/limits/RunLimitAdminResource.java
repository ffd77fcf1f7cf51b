package dev.tollgate.workflow.limits;

import java.time.Clock;
import java.time.Instant;

import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** Admin API for a budget's run limit: set, read, and go back to the platform default. */
@Path("/admin/run-limits/{budgetId}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class RunLimitAdminResource {

    private final RunLimitRepository limits;
    private final RunLimits applied;
    private final JsonBody json;
    private final Clock clock;

    public RunLimitAdminResource(RunLimitRepository limits, RunLimits applied, JsonBody json, Clock clock) {
        this.limits = limits;
        this.applied = applied;
        this.json = json;
        this.clock = clock;
    }

    @PUT
    public Envelope<RunLimitView.OneLimit> set(@PathParam("budgetId") String budgetId,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RunLimitRequest.class))) String body) {
        check(budgetId);
        RunLimitRequest request = RunLimitRequest.from(json.parse(body));
        RunLimit limit = new RunLimit();
        limit.budgetId = budgetId;
        limit.maxConcurrentRuns = request.maxConcurrentRuns();
        limit.updatedAt = Instant.now(clock);
        limits.persistOrUpdate(limit);
        applied.changed(budgetId);
        return Envelope.of(new RunLimitView.OneLimit(applied.view(budgetId)));
    }

    @GET
    public Envelope<RunLimitView.OneLimit> get(@PathParam("budgetId") String budgetId) {
        check(budgetId);
        return Envelope.of(new RunLimitView.OneLimit(applied.view(budgetId)));
    }

    @DELETE
    public Envelope<RunLimitView.OneLimit> reset(@PathParam("budgetId") String budgetId) {
        check(budgetId);
        limits.deleteById(budgetId);
        applied.changed(budgetId);
        return Envelope.of(new RunLimitView.OneLimit(applied.view(budgetId)));
    }

    private static void check(String budgetId) {
        if (!ObjectId.isValid(budgetId)) {
            throw new CodedError(400, "invalid_budget_id", "Budget id must be a 24-character hexadecimal ObjectId");
        }
    }
}

package dev.tollgate.workflow.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.workflow.admission.RunQueueAdmission;
import dev.tollgate.workflow.config.WorkflowConfig;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** The webhooks API for runs: trigger, status, cancel. */
@Path("/api/agent-webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    /** {@code data} of the status and cancel answers. */
    public record OneRun(RunView run) {
    }

    private final JsonWebToken caller;
    private final RunRepository runs;
    private final RunService service;
    private final WorkflowConfig config;
    private final JsonBody json;
    private final RunQueueAdmission admission;
    private final ObjectMapper mapper;

    public RunResource(JsonWebToken caller, RunRepository runs, RunService service, WorkflowConfig config,
            JsonBody json, RunQueueAdmission admission, ObjectMapper mapper) {
        this.caller = caller;
        this.runs = runs;
        this.service = service;
        this.config = config;
        this.json = json;
        this.admission = admission;
        this.mapper = mapper;
    }

    @POST
    @Path("/{workflowId}/trigger")
    @RolesAllowed("user")
    public Response trigger(@PathParam("workflowId") String workflowId,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TriggerRequest.class))) String body) {
        admission.admitOrRefuse();
        TriggerRequest request = TriggerRequest.from(json.parse(body), config.limits(),
                config.callbacks().allowLoopbackHttp(), mapper);
        RunService.Triggered t = service.trigger(caller(), workflowId, request);
        String statusUrl = config.publicBaseUrl() + "/api/agent-webhooks/runs/" + t.run().id.toHexString();
        return Response.status(t.created() ? 200 : 202).entity(TriggerAnswer.of(t.run(), statusUrl)).build();
    }

    @GET
    @Path("/runs/{runId}")
    @RolesAllowed("user")
    public Envelope<OneRun> status(@PathParam("runId") String runId) {
        Run run = runs.findOwned(service.parseRunId(runId), caller.getSubject())
                .orElseThrow(() -> new CodedError(404, "run_not_found", "No run " + runId + " for this caller"));
        return Envelope.of(new OneRun(RunView.of(run)));
    }

    /** Optional body {@code {"reason": "...", "request_id": "..."}}. */
    @POST
    @Path("/runs/{runId}/cancel")
    @RolesAllowed("user")
    public Envelope<OneRun> cancel(@PathParam("runId") String runId,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CancelRequest.class))) String body) {
        CancelRequest request = CancelRequest.from(json.parseOptional(body).orElse(null),
                config.limits());
        return Envelope.of(new OneRun(RunView.of(service.cancel(caller(), runId, request))));
    }

    private RunService.Caller caller() {
        return new RunService.Caller(caller.getSubject(), caller.getClaim("budget_id"));
    }
}

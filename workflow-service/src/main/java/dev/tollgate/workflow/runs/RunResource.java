package dev.tollgate.workflow.runs;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.workflow.admission.RunQueueAdmission;
import dev.tollgate.workflow.config.WorkflowConfig;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The webhooks API for runs: trigger, status, cancel. */
@Path("/api/agent-webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    @Inject
    JsonWebToken caller;

    @Inject
    RunRepository runs;

    @Inject
    RunService service;

    @Inject
    WorkflowConfig config;

    @Inject
    JsonBody json;

    @Inject
    RunQueueAdmission admission;

    @Inject
    ObjectMapper mapper;

    @POST
    @Path("/{workflowId}/trigger")
    @RolesAllowed("user")
    public Response trigger(@PathParam("workflowId") String workflowId, String body) {
        admission.admitOrRefuse();
        TriggerRequest request = TriggerRequest.from(json.parse(body), config.limits(),
                config.callbacks().allowLoopbackHttp(), mapper);
        RunService.Triggered t = service.trigger(caller(), workflowId, request);
        RunView view = RunView.of(t.run());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("run_id", view.runId());
        run.put("workflow_id", view.workflowId());
        run.put("status", view.status());
        run.put("created_at", view.createdAt());
        run.put("updated_at", view.updatedAt());
        run.put("cancel_requested_at", view.cancelRequestedAt());
        run.put("cancel_request_id", view.cancelRequestId());
        run.put("cancel_reason", view.cancelReason());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run", run);
        data.put("status_url", config.publicBaseUrl() + "/api/agent-webhooks/runs/" + view.runId());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("success", true);
        response.put("data", data);
        response.put("message", "Workflow trigger accepted");
        return Response.status(t.created() ? 200 : 202).entity(response).build();
    }

    @GET
    @Path("/runs/{runId}")
    @RolesAllowed("user")
    public Map<String, Object> status(@PathParam("runId") String runId) {
        Run run = runs.findOwned(service.parseRunId(runId), caller.getSubject())
                .orElseThrow(() -> new CodedError(404, "run_not_found", "No run " + runId + " for this caller"));
        return Map.of("success", true, "data", Map.of("run", RunView.of(run)));
    }

    /** Optional body {@code {"reason": "...", "request_id": "..."}}. */
    @POST
    @Path("/runs/{runId}/cancel")
    @RolesAllowed("user")
    public Map<String, Object> cancel(@PathParam("runId") String runId, String body) {
        String reason = null;
        String requestId = null;
        if (body != null && !body.isBlank()) {
            JsonNode node = json.parse(body);
            if (!node.isObject()) {
                throw new CodedError(400, "invalid_payload", "The body must be a JSON object");
            }
            reason = bounded(node, "reason", config.limits().maxCancelReasonLength());
            requestId = bounded(node, "request_id", config.limits().maxRequestIdLength());
        }
        Run run = service.cancel(caller(), runId, reason, requestId);
        return Map.of("success", true, "data", Map.of("run", RunView.of(run)));
    }

    private RunService.Caller caller() {
        return new RunService.Caller(caller.getSubject(), caller.getClaim("budget_id"));
    }

    private static String bounded(JsonNode node, String field, int max) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().length() > max) {
            throw new CodedError(400, "invalid_payload", field + " must be a string of at most " + max + " characters");
        }
        return n.asText();
    }
}

package dev.tollgate.workflow.runs;

import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.MessageEnvelope;
import dev.tollgate.workflow.admission.RunQueueAdmitted;
import dev.tollgate.workflow.admission.TriggerPacing;
import dev.tollgate.workflow.config.WorkflowConfig;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestResponse;

/** The webhooks API for runs: trigger, status (also as a long-poll and as an event stream), cancel. */
@Path("/api/agent-webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    /** {@code data} of the status and cancel answers. */
    public record OneRun(RunView run) {
    }

    private final JsonWebToken caller;
    private final RunService service;
    private final WorkflowConfig config;
    private final JsonBody json;
    private final TriggerPacing pacing;
    private final ObjectMapper mapper;
    private final RunStatusWaits waits;
    private final RunEventStreams streams;

    public RunResource(JsonWebToken caller, RunService service, WorkflowConfig config, JsonBody json,
            TriggerPacing pacing, ObjectMapper mapper, RunStatusWaits waits,
            RunEventStreams streams) {
        this.caller = caller;
        this.service = service;
        this.config = config;
        this.json = json;
        this.pacing = pacing;
        this.mapper = mapper;
        this.waits = waits;
        this.streams = streams;
    }

    @POST
    @Path("/{workflowId}/trigger")
    @RolesAllowed("user")
    @Blocking
    @RunQueueAdmitted // refused on the event loop while the run queue is full
    public Uni<RestResponse<MessageEnvelope<TriggerAnswer>>> trigger(@PathParam("workflowId") String workflowId,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TriggerRequest.class))) String body) {
        TriggerRequest request = TriggerRequest.from(json.parse(body), config.limits(),
                config.callbacks().allowLoopbackHttp(), mapper);
        RunService.Caller caller = caller();
        // After the body's checks (a bad request costs no slot); a token without a budget is paced as its user.
        Duration slot = pacing.delayFor(caller.budgetId() == null ? caller.userId() : caller.budgetId());
        if (slot.isZero()) {
            return Uni.createFrom().item(triggered(caller, workflowId, request));
        }
        // Held for its slot on a timer, not on a thread; then on a worker thread in the request's trace.
        io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current();
        return Uni.createFrom().voidItem().onItem().delayIt().by(slot)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(ignored -> {
                    try (Scope scope = trace.makeCurrent()) {
                        return triggered(caller, workflowId, request);
                    }
                });
    }

    // A typed answer (the document check reads its type): 200 a new run, 202 the run a request_id already made.
    private RestResponse<MessageEnvelope<TriggerAnswer>> triggered(RunService.Caller caller, String workflowId,
            TriggerRequest request) {
        RunService.Triggered t = service.trigger(caller, workflowId, request);
        String statusUrl = config.publicBaseUrl() + "/api/agent-webhooks/runs/" + t.run().id.toHexString();
        return RestResponse.status(t.created() ? RestResponse.Status.OK : RestResponse.Status.ACCEPTED,
                TriggerAnswer.of(t.run(), statusUrl));
    }

    /**
     * The run; with {@code wait_seconds} (0 to 30) the answer waits until the run's status changes or the time is up
     * (a run that has ended answers at once). The wait holds no thread ({@link RunStatusWaits}).
     */
    @GET
    @Path("/runs/{runId}")
    @RolesAllowed("user")
    @Blocking
    public Uni<Envelope<OneRun>> status(@PathParam("runId") String runId,
            @Parameter(description = "Wait up to this many seconds (0 to 30) for the run's status to change",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "30"))
            @QueryParam("wait_seconds") String waitSeconds,
            @Parameter(description = "With wait_seconds: the status you last saw; the answer comes as soon as the "
                    + "run's status differs from it (at once if it already does)",
                    schema = @Schema(implementation = RunStatus.class))
            @QueryParam("status") String knownStatus) {
        ObjectId id = service.parseRunId(runId);
        Duration wait = RunStatusWaits.parseWait(waitSeconds);
        Optional<RunStatus> known = RunStatusWaits.parseKnownStatus(knownStatus);
        return waits.read(id, caller.getSubject(), wait, known).map(run -> Envelope.of(new OneRun(RunView.of(run))));
    }

    /**
     * The run's status as Server-Sent Events: {@code event: status} with the status endpoint's body as data, first as
     * the run is, then at each change; the stream ends after the run's last status ({@link RunEventStreams}).
     */
    @GET
    @Path("/runs/{runId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed("user")
    public void events(@PathParam("runId") String runId, @Context SseEventSink sink, @Context Sse sse) {
        streams.open(service.parseRunId(runId), caller.getSubject(), sink, sse);
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

package dev.tollgate.workflow.tracing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.platform.tracing.TraceParents;
import dev.tollgate.workflow.runs.KafkaEvents;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunRepository;
import dev.tollgate.workflow.runs.RunStatus;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import dev.tollgate.workflow.worker.RunWorker;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * One trace from the trigger to the run's end: the trigger request continues the caller's trace (its W3C
 * {@code traceparent}), the run keeps it, the run's request and lifecycle events carry it in their Kafka headers, and
 * the worker's run and step spans are in it.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
class RunTraceTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @Inject
    RunRepository runs;

    @Inject
    RunWorker worker;

    @Test
    void theTriggersTraceReachesTheWorkersStepsAndEveryEventOfTheRun() {
        String workflow = Fixtures.templateWorkflow(List.of());
        Fixtures.User user = Fixtures.user(workflow);
        String runId = given().auth().oauth2(user.token()).header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")
                .contentType("application/json").body(Map.of("prompt", "trace me"))
                .post("/api/agent-webhooks/" + workflow + "/trigger").then().statusCode(200)
                .extract().path("data.run.run_id");

        // The trigger request is a server span of the caller's trace, and the run keeps that span as its parent.
        SpanData trigger = await().atMost(Duration.ofSeconds(10)).until(() -> serverSpan(runId), Optional::isPresent)
                .orElseThrow();
        assertEquals(TRACE, trigger.getTraceId());
        assertEquals(CALLER_SPAN, trigger.getParentSpanId());
        Run stored = runs.findById(new ObjectId(runId));
        assertEquals("00-" + TRACE + "-" + trigger.getSpanId() + "-01", stored.traceParent);

        // The worker (this process, as a worker role would) runs it under the trigger's trace.
        worker.execute(new ObjectId(runId));
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.findById(new ObjectId(runId)).status
                == RunStatus.COMPLETED);
        SpanData run = span("workflow.run", runId);
        SpanData step = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("workflow.step")
                && s.getParentSpanId().equals(run.getSpanId())).findFirst().orElseThrow();
        assertEquals(TRACE, run.getTraceId());
        assertEquals(trigger.getSpanId(), run.getParentSpanId());
        assertEquals(SpanKind.CONSUMER, run.getKind());
        assertEquals(TRACE, step.getTraceId());
        assertEquals("answer", step.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals("tollgate.step_id")).findFirst().orElseThrow().getValue());

        // Every event of the run carries the trace in its Kafka headers: the request the trigger's span, the end the
        // worker's run span (so the callback-service's attempts are children of the run).
        Map<String, String> headers = KafkaEvents.traceparents(runId, 3);
        assertEquals("00-" + TRACE + "-" + trigger.getSpanId() + "-01", headers.get(runId + ":run.requested:1"),
                headers.toString());
        assertEquals("00-" + TRACE + "-" + run.getSpanId() + "-01", headers.get(runId + ":run.completed:1"),
                headers.toString());
        headers.values().forEach(h -> assertEquals(Optional.of(TRACE), TraceParents.traceId(h), headers.toString()));
    }

    @Test
    void aTriggerWithoutATraceStartsOne() {
        String workflow = Fixtures.templateWorkflow(List.of());
        Fixtures.User user = Fixtures.user(workflow);
        String runId = Fixtures.trigger(user, workflow, Map.of("prompt", "no trace")).toHexString();
        Run stored = runs.findById(new ObjectId(runId));
        assertTrue(TraceParents.isValid(stored.traceParent), String.valueOf(stored.traceParent));
        assertNotEquals(Optional.of(TRACE), TraceParents.traceId(stored.traceParent));
        assertEquals(TraceParents.traceId(stored.traceParent),
                TraceParents.traceId(KafkaEvents.traceparents(runId, 1).get(runId + ":run.requested:1")));
    }

    private Optional<SpanData> serverSpan(String runId) {
        // The trigger's span is the server span whose trace the run stored.
        Run stored = runs.findById(new ObjectId(runId));
        return spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.SERVER
                && stored.traceParent != null && stored.traceParent.contains(s.getSpanId())).findFirst();
    }

    private SpanData span(String name, String runId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name) && runId.equals(s.getAttributes().asMap().entrySet().stream()
                        .filter(e -> e.getKey().getKey().equals("tollgate.run_id")).map(e -> e.getValue().toString())
                        .findFirst().orElse(null)))
                .findFirst(), Optional::isPresent).orElseThrow();
    }
}

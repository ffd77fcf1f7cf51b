package dev.tollgate.gateway.tracing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.tollgate.gateway.support.StubUpstreams;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import dev.tollgate.platform.tracing.TraceParents;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The gateway continues a caller's trace, or starts one: the request it passes to the service carries a
 * {@code traceparent} of the same trace whose parent is the gateway's own span for the request.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(StubUpstreams.class)
class EdgeTraceTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theCallersTraceIsContinuedToTheService() {
        String forwarded = given().auth().oauth2(TestTokens.user("alice"))
                .header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")
                .get("/api/agent-webhooks/runs/665f1c0a9b1e8a3d2c4b5a69").then().statusCode(200)
                .extract().path("headers.traceparent");
        assertEquals(Optional.of(TRACE), TraceParents.traceId(forwarded), forwarded);
        String forwardedSpan = forwarded.substring(36, 52);
        assertNotEquals(CALLER_SPAN, forwardedSpan, "the service's parent is the gateway's span, not the caller's");
        // The gateway's spans for this request: all of the caller's trace, the service's parent among them.
        List<SpanData> ours = await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(TRACE)).toList(), s -> s.stream()
                        .anyMatch(span -> span.getSpanId().equals(forwardedSpan)));
        SpanData server = ours.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertEquals(CALLER_SPAN, server.getParentSpanId());
    }

    @Test
    void aRequestWithoutATraceStartsOne() {
        String forwarded = given().auth().oauth2(TestTokens.user("alice")).get("/credits/balance").then()
                .statusCode(200).extract().path("headers.traceparent");
        assertTrue(TraceParents.isValid(forwarded), String.valueOf(forwarded));
        assertNotEquals(Optional.of(TRACE), TraceParents.traceId(forwarded));
    }
}

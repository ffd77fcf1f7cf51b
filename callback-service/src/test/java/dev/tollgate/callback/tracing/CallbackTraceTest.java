package dev.tollgate.callback.tracing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.callback.support.Receiver;
import dev.tollgate.callback.support.RunEvents;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.platform.tracing.TraceParents;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The callback joins the run's trace: each delivery attempt is a span under the lifecycle event's
 * {@code traceparent}, retries included (the delivery keeps it), and the POST carries that attempt's span as its
 * {@code traceparent}, so the receiver can continue the platform's trace.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class CallbackTraceTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String WORKER_SPAN = "b7ad6b7169203331";

    static Receiver receiver;
    static RunEvents events;

    @Inject
    InMemorySpanExporter spans;

    @BeforeAll
    static void start() {
        receiver = Receiver.start();
        events = new RunEvents(LocalStackTestResource.stack().kafkaBootstrap());
    }

    @AfterAll
    static void stop() {
        receiver.close();
        events.close();
    }

    @Test
    void everyAttemptIsASpanOfTheRunsTraceAndThePostCarriesIt() {
        // The first attempt fails, the retry (300 ms later in tests) is delivered: both in the run's trace.
        receiver.on("/hooks/traced", n -> n == 1 ? Receiver.Answer.status(503) : Receiver.Answer.status(204));
        ObjectNode run = RunEvents.endedRun(receiver.url("/hooks/traced"), "completed");
        String runId = events.publishTraced(run, "u-" + UUID.randomUUID(), "00-" + TRACE + "-" + WORKER_SPAN + "-01");

        List<Receiver.Received> posts = await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.at("/hooks/traced"), r -> r.size() == 2);
        List<SpanData> attempts = await().atMost(Duration.ofSeconds(10)).until(() -> attemptsOf(runId),
                a -> a.size() == 2);
        for (int i = 0; i < 2; i++) {
            SpanData attempt = attempts.get(i);
            assertEquals(TRACE, attempt.getTraceId());
            assertEquals(WORKER_SPAN, attempt.getParentSpanId(), "a child of the span that ended the run");
            assertEquals(SpanKind.CLIENT, attempt.getKind());
            String header = posts.get(i).header("traceparent");
            assertEquals("00-" + TRACE + "-" + attempt.getSpanId() + "-01", header, "the POST names its attempt");
        }
        assertNotEquals(attempts.get(0).getSpanId(), attempts.get(1).getSpanId());
    }

    @Test
    void anEventWithoutATraceStillGetsATraceparentOnItsPost() {
        ObjectNode run = RunEvents.endedRun(receiver.url("/hooks/untraced"), "completed");
        events.publish(run, "u-" + UUID.randomUUID());
        Receiver.Received post = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/hooks/untraced"),
                r -> !r.isEmpty()).getFirst();
        assertTrue(TraceParents.isValid(post.header("traceparent")), post.headers().toString());
    }

    private List<SpanData> attemptsOf(String runId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("callback.attempt")
                && runId.equals(s.getAttributes().asMap().entrySet().stream()
                        .filter(e -> e.getKey().getKey().equals("tollgate.run_id")).map(e -> e.getValue().toString())
                        .findFirst().orElse(null)))
                .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos())).toList();
    }
}

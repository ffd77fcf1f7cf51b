package dev.tollgate.callback.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import au.com.dius.pact.consumer.MessagePactBuilder;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.junit5.PactConsumerTestExt;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.consumer.junit5.ProviderType;
import au.com.dius.pact.core.model.PactSpecVersion;
import au.com.dius.pact.core.model.annotations.Pact;
import au.com.dius.pact.core.model.annotations.PactDirectory;
import au.com.dius.pact.core.model.messaging.Message;
import au.com.dius.pact.core.model.messaging.MessagePact;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.callback.intake.TerminalRun;
import dev.tollgate.contracts.CommittedPacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What callback-service reads from {@code workflow.run.lifecycle}: a terminal event's type, id, owner and run, whose
 * {@code data.run} it POSTs as it is (the status endpoint's RUN object, every field present). Each message goes
 * through the listener's own parsing ({@link TerminalRun}).
 */
@ExtendWith(CommittedPacts.class)
@ExtendWith(PactConsumerTestExt.class)
@PactTestFor(providerName = "workflow-service", providerType = ProviderType.ASYNCH, pactVersion = PactSpecVersion.V3)
@PactDirectory(CommittedPacts.WRITTEN)
class RunLifecycleConsumerPactTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN_ID = "65f0000000000000000000c1";
    private static final String HEX_ID = "[0-9a-f]{24}";

    /** The event around a run in {@code status}, with a callback URL, as workflow-service publishes it. */
    private static PactDslJsonBody event(String type, String status, boolean failed) {
        PactDslJsonBody run = new PactDslJsonBody()
                .stringValue("specversion", "1.0")
                .stringMatcher("id", HEX_ID + ":" + type.replace(".", "\\.") + ":[0-9]+", RUN_ID + ":" + type + ":1")
                .stringValue("source", "tollgate/workflow-service")
                .stringValue("type", type)
                .stringMatcher("subject", HEX_ID, RUN_ID)
                .stringType("time", "2026-01-01T00:00:02Z")
                .stringValue("datacontenttype", "application/json")
                .object("data")
                .stringType("owner_user_id", "pact-user")
                .stringType("budget_id", "65f0000000000000000000b1")
                .object("run")
                .stringMatcher("run_id", HEX_ID, RUN_ID)
                .stringType("workflow_id", "65f0000000000000000000f1")
                .stringValue("status", status)
                .stringType("prompt", "Hello Tollgate");
        if (failed) {
            run.nullValue("response_text").stringType("error_code", "tool_failed")
                    .stringType("error_message", "Step count: the tool failed");
        } else {
            run.stringType("response_text", "Hello back").nullValue("error_code").nullValue("error_message");
        }
        return run
                .nullValue("session_id")
                .nullValue("model")
                .stringType("callback_url", "https://agent.example.com/hook")
                .stringValue("callback_status", "pending")
                .nullValue("callback_last_status")
                .nullValue("callback_last_error")
                .nullValue("callback_attempted_at")
                .nullValue("callback_delivered_at")
                .object("request_metadata").closeObject().asBody()
                .object("run_metadata").closeObject().asBody()
                .stringType("created_at", "2026-01-01T00:00:00Z")
                .stringType("updated_at", "2026-01-01T00:00:02Z")
                .stringType("started_at", "2026-01-01T00:00:01Z")
                .stringType("completed_at", "2026-01-01T00:00:02Z")
                .nullValue("cancel_requested_at")
                .nullValue("cancel_requested_by_user_id")
                .nullValue("cancel_request_id")
                .nullValue("cancel_reason")
                .closeObject().closeObject().asBody();
    }

    private static MessagePact lifecycle(MessagePactBuilder builder, String state, String type, String status,
            boolean failed) {
        return builder.given(state)
                .expectsToReceive("a " + type + " event of a run with a callback URL")
                .withMetadata(metadata -> metadata.add("topic", "workflow.run.lifecycle")
                        .matchRegex("key", HEX_ID, RUN_ID))
                .withContent(event(type, status, failed))
                .toPact();
    }

    @Pact(consumer = "callback-service")
    MessagePact completed(MessagePactBuilder builder) {
        return lifecycle(builder, "a run with a callback URL completed", "run.completed", "completed", false);
    }

    @Test
    @PactTestFor(pactMethod = "completed")
    void aCompletedRunBecomesACallbackOfItsRun(List<Message> messages) throws Exception {
        TerminalRun run = read(messages.getFirst());
        assertEquals("run.completed", run.eventType());
        assertEquals("Hello back", JSON.readTree(run.body()).at("/data/run/response_text").asText());
    }

    @Pact(consumer = "callback-service")
    MessagePact failed(MessagePactBuilder builder) {
        return lifecycle(builder, "a run with a callback URL failed", "run.failed", "failed", true);
    }

    @Test
    @PactTestFor(pactMethod = "failed")
    void aFailedRunBecomesACallbackWithItsError(List<Message> messages) throws Exception {
        TerminalRun run = read(messages.getFirst());
        assertEquals("run.failed", run.eventType());
        assertEquals("tool_failed", JSON.readTree(run.body()).at("/data/run/error_code").asText());
    }

    /** The message as LifecycleListener reads a record: its type first, then the terminal run and its callback. */
    private static TerminalRun read(Message message) throws Exception {
        String payload = message.contentsAsString();
        assertEquals(true, TerminalRun.TERMINAL_TYPES.contains(TerminalRun.typeOf(payload, JSON)));
        TerminalRun run = TerminalRun.from(payload, JSON).orElseThrow();
        assertEquals(RUN_ID, run.runId());
        assertEquals("pact-user", run.userId());
        assertEquals("https://agent.example.com/hook", run.callbackUrl());
        assertEquals(JSON.readTree(payload).at("/data/run"), JSON.readTree(run.body()).at("/data/run"), "the run is POSTed as it is");
        assertEquals(RUN_ID, message.getMetadata().get("key"));
        return run;
    }
}

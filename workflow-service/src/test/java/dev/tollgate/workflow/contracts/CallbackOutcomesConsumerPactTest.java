package dev.tollgate.workflow.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
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
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.contracts.CommittedPacts;
import dev.tollgate.workflow.callbacks.CallbackOutcome;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What workflow-service folds into a run from {@code callback.delivery.outcome}: the run, the delivery's status after
 * the attempt, the receiver's HTTP status and error, when it was attempted and delivered. Each message goes through
 * the listener's own reading of it ({@link CallbackOutcome}), and must be one it folds rather than skips.
 */
@ExtendWith(CommittedPacts.class)
@ExtendWith(PactConsumerTestExt.class)
@PactTestFor(providerName = "callback-service", providerType = ProviderType.ASYNCH, pactVersion = PactSpecVersion.V3)
@PactDirectory(CommittedPacts.WRITTEN)
class CallbackOutcomesConsumerPactTest {

    // As Quarkus configures the listener's mapper: java.time, unknown fields (the envelope's) ignored.
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String RUN_ID = "65f0000000000000000000c1";
    private static final String HEX_ID = "[0-9a-f]{24}";
    private static final String ATTEMPTED_AT = "2026-01-01T00:00:03Z";

    private static PactDslJsonBody outcome(int attempt) {
        return new PactDslJsonBody()
                .stringValue("specversion", "1.0")
                .stringMatcher("id", ".+:[0-9]+", "msg_2Yh6kQ:" + attempt)
                .stringValue("source", "tollgate/callback-service")
                .stringValue("type", "callback.attempt")
                .stringMatcher("subject", HEX_ID, RUN_ID)
                .stringType("time", "2026-01-01T00:00:03Z")
                .stringValue("datacontenttype", "application/json");
    }

    private static MessagePactBuilder attempt(MessagePactBuilder builder, String state, String description) {
        return builder.given(state).expectsToReceive(description)
                .withMetadata(metadata -> metadata.add("topic", "callback.delivery.outcome"));
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    MessagePact delivered(MessagePactBuilder builder) {
        return attempt(builder, "a callback was delivered at the first attempt", "the outcome of a delivered callback")
                .withContent(outcome(1).object("data")
                        .stringMatcher("run_id", HEX_ID, RUN_ID)
                        .stringType("delivery_id", "msg_2Yh6kQ")
                        .integerType("attempt", 1)
                        .stringValue("status", "delivered")
                        .integerType("http_status", 200)
                        .nullValue("error")
                        .stringType("attempted_at", ATTEMPTED_AT)
                        .stringType("delivered_at", ATTEMPTED_AT)
                        .integerType("duration_ms", 12)
                        .nullValue("next_attempt_at")
                        .closeObject())
                .toPact();
    }

    @Test
    @PactTestFor(pactMethod = "delivered")
    void aDeliveredOutcomeIsFoldedAsDelivered(List<Message> messages) throws Exception {
        CallbackOutcome outcome = read(messages.getFirst());
        assertEquals("delivered", outcome.status());
        assertEquals(200, outcome.httpStatus());
        assertEquals(Instant.parse(ATTEMPTED_AT), outcome.deliveredAt());
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    MessagePact retrying(MessagePactBuilder builder) {
        return attempt(builder, "a callback receiver answered 500 at the first attempt",
                "the outcome of a failed attempt that will be retried")
                .withContent(outcome(1).object("data")
                        .stringMatcher("run_id", HEX_ID, RUN_ID)
                        .stringType("delivery_id", "msg_2Yh6kQ")
                        .integerType("attempt", 1)
                        .stringValue("status", "pending")
                        .integerType("http_status", 500)
                        .stringType("error", "HTTP 500")
                        .stringType("attempted_at", ATTEMPTED_AT)
                        .nullValue("delivered_at")
                        .integerType("duration_ms", 12)
                        .stringType("next_attempt_at", "2026-01-01T00:00:08Z")
                        .closeObject())
                .toPact();
    }

    @Test
    @PactTestFor(pactMethod = "retrying")
    void aFailedAttemptIsFoldedAsPendingWithItsError(List<Message> messages) throws Exception {
        CallbackOutcome outcome = read(messages.getFirst());
        assertEquals("pending", outcome.status());
        assertEquals(500, outcome.httpStatus());
        assertEquals("HTTP 500", outcome.error());
        assertNull(outcome.deliveredAt());
    }

    private static CallbackOutcome read(Message message) throws Exception {
        CallbackOutcome outcome = JSON.readValue(message.contentsAsString(), CallbackOutcome.OutcomeEvent.class).data();
        assertTrue(outcome.isValid() && ObjectId.isValid(outcome.runId()), "the listener folds it");
        return outcome;
    }
}

package dev.tollgate.callback.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import au.com.dius.pact.provider.MessageAndMetadata;
import au.com.dius.pact.provider.PactVerifyProvider;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFilter;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import dev.tollgate.callback.delivery.AttemptRecord;
import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.callback.delivery.DeliveryStatus;
import dev.tollgate.callback.delivery.OutcomeEvents;
import dev.tollgate.callback.delivery.PendingOutcome;
import dev.tollgate.contracts.CommittedPacts;
import dev.tollgate.contracts.InteractionKinds;
import dev.tollgate.contracts.MessageProviderVerification;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;

/**
 * callback-service publishes the delivery outcomes workflow-service folds into its runs (contracts/pacts), each built
 * by the code that builds it for the outbox ({@link OutcomeEvents}) from an attempt as the delivery records it.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@Provider("callback-service")
@PactFolder(CommittedPacts.COMMITTED)
@PactFilter(value = "messages", filter = InteractionKinds.Messages.class)
class DeliveryOutcomesProviderPactTest extends MessageProviderVerification {

    private static final Instant ATTEMPTED = Instant.parse("2026-01-01T00:00:03Z");

    @Inject
    OutcomeEvents outcomes;

    @State({ "a callback was delivered at the first attempt", "a callback receiver answered 500 at the first attempt" })
    void attemptsAreBuiltByEachMessage() {
        // Each message below records its attempt as the state describes; nothing needs storing.
    }

    @PactVerifyProvider("the outcome of a delivered callback")
    public MessageAndMetadata delivered() {
        AttemptRecord attempt = attempt(DeliveryStatus.DELIVERED);
        attempt.httpStatus = 200;
        return published(outcomes.attempted(delivery(), attempt));
    }

    @PactVerifyProvider("the outcome of a failed attempt that will be retried")
    public MessageAndMetadata retrying() {
        AttemptRecord attempt = attempt(DeliveryStatus.PENDING);
        attempt.httpStatus = 500;
        attempt.error = "HTTP 500";
        attempt.nextAttemptAt = ATTEMPTED.plusSeconds(5);
        return published(outcomes.attempted(delivery(), attempt));
    }

    private static Delivery delivery() {
        Delivery delivery = new Delivery();
        delivery.runId = new ObjectId().toHexString();
        delivery.webhookId = Delivery.webhookIdOf(delivery.runId);
        return delivery;
    }

    private static AttemptRecord attempt(DeliveryStatus result) {
        AttemptRecord attempt = new AttemptRecord();
        attempt.number = 1;
        attempt.attemptedAt = ATTEMPTED;
        attempt.durationMs = 12;
        attempt.result = result;
        return attempt;
    }

    private static MessageAndMetadata published(PendingOutcome outcome) {
        return new MessageAndMetadata(outcome.payload.getBytes(StandardCharsets.UTF_8),
                Map.of("topic", OutcomeEvents.TOPIC));
    }
}

package dev.tollgate.workflow.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import au.com.dius.pact.provider.MessageAndMetadata;
import au.com.dius.pact.provider.PactVerifyProvider;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFilter;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import dev.tollgate.contracts.CommittedPacts;
import dev.tollgate.contracts.InteractionKinds;
import dev.tollgate.contracts.MessageProviderVerification;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.outbox.PendingEvent;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunEvents;
import dev.tollgate.workflow.runs.RunStatus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;

/**
 * workflow-service publishes the events its consumers committed to reading (contracts/pacts): {@code run.requested}
 * for its own workers, {@code workflow.run.lifecycle} for callback-service. Each message is built by the code that
 * builds it for the outbox ({@link RunEvents}), with the topic and key it is published under.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@Provider(WorkflowContracts.WORKFLOW)
@PactFolder(CommittedPacts.COMMITTED)
@PactFilter(value = "messages", filter = InteractionKinds.Messages.class)
class RunEventsProviderPactTest extends MessageProviderVerification {

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    @Inject
    RunEvents events;

    @State({ "a run was just triggered", "a run waits for its second attempt", "a run with a callback URL completed",
            "a run with a callback URL failed" })
    void runsAreBuiltByEachMessage() {
        // Each message below builds its run as the state describes; nothing needs storing.
    }

    @PactVerifyProvider("the first request of a new run, carrying the run")
    public MessageAndMetadata firstRequest() {
        return published(events.firstRequest(run(RunStatus.QUEUED)).published());
    }

    @PactVerifyProvider("the request of a later attempt")
    public MessageAndMetadata laterAttempt() {
        Run run = run(RunStatus.QUEUED);
        run.attempts = 1;
        return published(events.requested(run, 2));
    }

    @PactVerifyProvider("a run.completed event of a run with a callback URL")
    public MessageAndMetadata completed() {
        Run run = ended(RunStatus.COMPLETED);
        run.responseText = "Hello back";
        return published(events.lifecycle(run, "run.completed", 1));
    }

    @PactVerifyProvider("a run.failed event of a run with a callback URL")
    public MessageAndMetadata failed() {
        Run run = ended(RunStatus.FAILED);
        run.errorCode = "tool_failed";
        run.errorMessage = "Step count: the tool failed";
        return published(events.lifecycle(run, "run.failed", 1));
    }

    /** A run as the trigger inserts it: a callback URL, nothing run yet. */
    private static Run run(RunStatus status) {
        Run run = new Run();
        run.id = new ObjectId();
        run.workflowId = new ObjectId().toHexString();
        run.ownerUserId = "pact-user";
        run.budgetId = new ObjectId().toHexString();
        run.status = status;
        run.prompt = "Hello Tollgate";
        run.callbackUrl = "https://agent.example.com/hook";
        run.callbackStatus = "pending";
        run.requestMetadata = new LinkedHashMap<>();
        run.runMetadata = new LinkedHashMap<>(Map.of("workflow_name", "Support bot", "steps_planned", 1));
        run.createdAt = CREATED;
        run.updatedAt = CREATED;
        return run;
    }

    private static Run ended(RunStatus status) {
        Run run = run(status);
        run.attempts = 1;
        run.startedAt = CREATED.plusSeconds(1);
        run.completedAt = CREATED.plusSeconds(2);
        run.updatedAt = run.completedAt;
        return run;
    }

    /** The event as the relay sends it: its payload, on its topic, keyed as it is. */
    private static MessageAndMetadata published(PendingEvent event) {
        return new MessageAndMetadata(event.payload.getBytes(StandardCharsets.UTF_8),
                Map.of("topic", event.topic, "key", event.key));
    }
}

package dev.tollgate.workflow.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
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
import dev.tollgate.contracts.CommittedPacts;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunSnapshots;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a worker reads from {@code workflow.run.requested}, which the api role publishes (two roles of one service that
 * a rolling upgrade runs at different versions side by side): the record's key is the run's id, and a new run's first
 * request carries the run as inserted ({@code data.run_bson}) so the worker claims it without reading it; a request
 * for a later attempt carries no copy. Each message goes through the worker's own reading of it ({@link RunSnapshots}).
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@ExtendWith(CommittedPacts.class)
@ExtendWith(PactConsumerTestExt.class)
@PactTestFor(providerName = WorkflowContracts.WORKFLOW, providerType = ProviderType.ASYNCH,
        pactVersion = PactSpecVersion.V3)
@PactDirectory(CommittedPacts.WRITTEN)
class RunRequestsConsumerPactTest {

    private static final String RUN_ID = "65f0000000000000000000c1";
    private static final String HEX_ID = "[0-9a-f]{24}";
    /** A run as the api inserts it, BSON and base64 as the event carries it (only the fields this test reads). */
    private static final String EXAMPLE_RUN_BSON = exampleRunBson();

    @Inject
    RunSnapshots snapshots;

    private static PactDslJsonBody request(int attempt) {
        return new PactDslJsonBody()
                .stringValue("specversion", "1.0")
                .stringMatcher("id", HEX_ID + ":run\\.requested:[0-9]+.*", RUN_ID + ":run.requested:" + attempt)
                .stringValue("source", "tollgate/workflow-service")
                .stringValue("type", "run.requested")
                .stringMatcher("subject", HEX_ID, RUN_ID)
                .stringType("time", "2026-01-01T00:00:00Z")
                .stringValue("datacontenttype", "application/json");
    }

    private static MessagePactBuilder requested(MessagePactBuilder builder, String state, String description) {
        return builder.given(state).expectsToReceive(description)
                .withMetadata(metadata -> metadata.add("topic", "workflow.run.requested")
                        .matchRegex("key", HEX_ID, RUN_ID));
    }

    @Pact(consumer = WorkflowContracts.WORKER)
    MessagePact firstRequest(MessagePactBuilder builder) {
        return requested(builder, "a run was just triggered", "the first request of a new run, carrying the run")
                .withContent(request(1).object("data")
                        .stringMatcher("run_id", HEX_ID, RUN_ID)
                        .stringType("workflow_id", WorkflowContracts.EXAMPLE_WORKFLOW_ID)
                        .integerType("attempt", 1)
                        .stringMatcher("run_bson", "[A-Za-z0-9+/]+=*", EXAMPLE_RUN_BSON)
                        .closeObject())
                .toPact();
    }

    @Test
    @PactTestFor(pactMethod = "firstRequest")
    void aFirstRequestCarriesTheRunToClaim(List<Message> messages) {
        Message request = messages.getFirst();
        assertTrue(ObjectId.isValid((String) request.getMetadata().get("key")), "the key names the run");
        Run carried = snapshots.fromRequest(request.contentsAsString());
        assertEquals(new ObjectId(RUN_ID), carried.id);
        assertEquals(WorkflowContracts.EXAMPLE_WORKFLOW_ID, carried.workflowId);
    }

    @Pact(consumer = WorkflowContracts.WORKER)
    MessagePact laterAttempt(MessagePactBuilder builder) {
        return requested(builder, "a run waits for its second attempt", "the request of a later attempt")
                .withContent(request(2).object("data")
                        .stringMatcher("run_id", HEX_ID, RUN_ID)
                        .stringType("workflow_id", WorkflowContracts.EXAMPLE_WORKFLOW_ID)
                        .integerType("attempt", 2)
                        .closeObject())
                .toPact();
    }

    @Test
    @PactTestFor(pactMethod = "laterAttempt")
    void aLaterAttemptCarriesNoRunSoTheWorkerReadsIt(List<Message> messages) {
        Message request = messages.getFirst();
        assertTrue(ObjectId.isValid((String) request.getMetadata().get("key")), "the key names the run");
        assertNull(snapshots.fromRequest(request.contentsAsString()));
    }

    private static String exampleRunBson() {
        BsonDocument run = new BsonDocument("_id", new BsonObjectId(new ObjectId(RUN_ID)))
                .append("workflowId", new BsonString(WorkflowContracts.EXAMPLE_WORKFLOW_ID))
                .append("ownerUserId", new BsonString(WorkflowContracts.EXAMPLE_USER_ID))
                .append("attempts", new BsonInt32(0))
                .append("updatedAt", new BsonDateTime(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli()));
        BasicOutputBuffer bytes = new BasicOutputBuffer();
        try (BsonBinaryWriter writer = new BsonBinaryWriter(bytes)) {
            new BsonDocumentCodec().encode(writer, run, EncoderContext.builder().build());
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}

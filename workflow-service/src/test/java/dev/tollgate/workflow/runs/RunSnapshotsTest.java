package dev.tollgate.workflow.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.outbox.OutboxWrites;
import dev.tollgate.workflow.outbox.PendingEvent;
import dev.tollgate.workflow.outbox.RunTopics;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.BsonDocument;
import org.bson.BsonDocumentWriter;
import org.bson.codecs.EncoderContext;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The run a new run's {@code run.requested} carries for the worker's claim: it comes back field for field, without
 * the outbox and lease, from the BSON this version writes and from the Extended JSON text earlier versions wrote (a
 * request still in the topic across an upgrade); anything unreadable yields null, so the worker reads the run instead.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
class RunSnapshotsTest {

    @Inject
    RunSnapshots snapshots;

    @Inject
    RunEvents events;

    @Inject
    RunRepository runs;

    @Inject
    ObjectMapper json;

    @Test
    void aNewRunsFirstRequestCarriesTheRunFieldForField() throws Exception {
        Run run = queuedRun();

        PendingEvent request = events.firstRequest(run).published();
        JsonNode data = json.readTree(request.payload).path("data");
        Run carried = snapshots.fromRequest(request.payload);

        assertTrue(data.path(RunSnapshots.FIELD).isTextual(), "carried as base64 BSON: " + data);
        assertFalse(data.has(RunSnapshots.EARLIER_FIELD), "not also as text");
        assertNotNull(carried);
        assertEquals(stored(run), stored(carried), "every stored field comes back as it was");
        assertEquals(run.requestMetadata, carried.requestMetadata);
        assertEquals(run.updatedAt, carried.updatedAt, "the claim's condition is on updatedAt");
    }

    @Test
    void aTriggeredRunsRequestCarriesTheRunAsPublishedButNotAsItWaitsInTheRun() {
        String workflowId = Fixtures.templateWorkflow(List.of());
        ObjectId runId = Fixtures.trigger(Fixtures.user(workflowId), workflowId,
                Map.of("prompt", "carried", "request_metadata", Map.of("ticket", 7)));
        Fixtures.awaitRelayed(runs, runId);

        Run inRun = runs.findById(runId);
        JsonNode published = KafkaEvents.forRun(runId.toHexString(), 1).get(runId.toHexString() + ":run.requested:1");

        assertEquals(RunStatus.QUEUED, inRun.status, "this service is the api role: nothing claims the run");
        assertEquals(1, inRun.pendingEvents.size());
        assertFalse(inRun.pendingEvents.getFirst().payload.contains(RunSnapshots.FIELD),
                "the request waiting in the run leaves the run out (it is right there)");
        assertNull(snapshots.fromRequest(inRun.pendingEvents.getFirst().payload),
                "republished from the store, the request makes its worker read the run");
        assertNotNull(published, "the relay published the request");
        Run carried = snapshots.fromRequest(published.toString());
        assertNotNull(carried, "as published, it carries the run");
        assertEquals(stored(inRun), stored(carried), "the run as inserted, field for field");
        assertEquals(inRun.pendingEvents.getFirst().id, published.path("id").asText(), "one event, one id");
    }

    @Test
    void theOutboxAndTheLeaseStayOut() {
        Run run = queuedRun();
        run.leaseOwner = "1@elsewhere";
        run.leaseUntil = run.createdAt.plusSeconds(30);
        run.outboxPending = true;
        run.pendingEvents = new ArrayList<>(List.of(new PendingEvent("e", RunTopics.REQUESTED, "k", "{}")));

        Run carried = snapshots.fromRequest(events.firstRequest(run).published().payload);

        assertNotNull(carried);
        assertNull(carried.leaseOwner);
        assertNull(carried.leaseUntil);
        assertNull(carried.outboxPending);
        assertTrue(carried.pendingEvents == null || carried.pendingEvents.isEmpty(), "no events in the copy");
        assertEquals(run.prompt, carried.prompt);
    }

    @Test
    void aRequestAnEarlierVersionWroteIsStillRead() throws Exception {
        Run run = queuedRun();
        // What RunSnapshots wrote before the BSON form: the stored document as relaxed Extended JSON text.
        String text = stored(run).toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build());

        Run carried = snapshots.fromRequest(request(Map.of(RunSnapshots.EARLIER_FIELD, text)));

        assertNotNull(carried);
        assertEquals(stored(run), stored(carried));
    }

    @Test
    void whatCannotBeReadYieldsNullSoTheWorkerReadsTheRun() throws Exception {
        assertNull(snapshots.fromRequest(null));
        assertNull(snapshots.fromRequest("not json"));
        assertNull(snapshots.fromRequest(request(Map.of())), "a later attempt's request carries no run");
        assertNull(snapshots.fromRequest(request(Map.of(RunSnapshots.FIELD, "%%% not base64"))));
        assertNull(snapshots.fromRequest(request(Map.of(RunSnapshots.FIELD,
                Base64.getEncoder().encodeToString("not a BSON document".getBytes())))));
        assertNull(snapshots.fromRequest(request(Map.of(RunSnapshots.EARLIER_FIELD, "{\"_id\": "))));
    }

    /** A run as a trigger builds it, with nested metadata and times as the store keeps them (milliseconds). */
    private static Run queuedRun() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Run run = new Run();
        run.id = new ObjectId();
        run.workflowId = new ObjectId().toHexString();
        run.ownerUserId = "user-snapshot";
        run.budgetId = "budget-snapshot";
        run.status = RunStatus.QUEUED;
        run.prompt = "Summarise \"the\" orders \u00e9\u4e2d\ud83d\ude00 <&>";
        run.requestId = "req-" + run.id;
        run.sessionId = "session-1";
        run.callbackUrl = "https://example.com/hooks/x?a=1&b=2";
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("ticket", 42);
        metadata.put("tags", List.of("a", "b"));
        metadata.put("nested", Map.of("deep", true));
        run.requestMetadata = metadata;
        run.runMetadata = new LinkedHashMap<>();
        run.createdAt = now;
        run.updatedAt = now;
        return run;
    }

    /** The run as the store's codec writes it, less what the snapshot leaves out. */
    private BsonDocument stored(Run run) {
        BsonDocument document = new BsonDocument();
        runs.mongoCollection().getCodecRegistry().get(Run.class)
                .encode(new BsonDocumentWriter(document), run, EncoderContext.builder().build());
        for (String left : List.of(OutboxWrites.EVENTS, OutboxWrites.PENDING, "leaseOwner", "leaseUntil")) {
            document.remove(left);
        }
        return document;
    }

    private String request(Map<String, String> carried) throws Exception {
        Map<String, Object> data = new LinkedHashMap<>(Map.of("run_id", new ObjectId().toHexString(), "attempt", 1));
        data.putAll(carried);
        return json.writeValueAsString(Map.of("type", "run.requested", "data", data));
    }
}

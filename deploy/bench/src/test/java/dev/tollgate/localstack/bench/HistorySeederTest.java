package dev.tollgate.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The history documents without a store: the two writers (runs, deliveries) build the same run from its number
 * alone, the ids are the ones the services would give, and the settled shape carries no pending-work markers.
 */
class HistorySeederTest {

    private final HistorySeeder seeder = new HistorySeeder(HistorySeeder.Options.of(new HistorySeeder.Counts(10, 0, 0)));

    @Test
    void aRunAndItsDeliveryAgreeWhoeverBuildsThem() throws Exception {
        for (int i = 0; i < 200; i++) {
            Document run = seeder.runDocument(seeder.historyRun(i));
            Document again = seeder.runDocument(seeder.historyRun(i));
            assertEquals(run, again, "run " + i + " is a function of its number");
            Document delivery = seeder.deliveryDocument(seeder.historyRun(i));
            String runId = run.getObjectId("_id").toHexString();
            assertEquals(runId, delivery.getString("_id"));
            assertEquals("msg_" + runId, delivery.getString("webhookId"));
            assertEquals(run.getString("ownerUserId"), delivery.getString("userId"));
            JsonNode body = new ObjectMapper().readTree(delivery.getString("body")).at("/data/run");
            assertEquals(runId, body.path("run_id").asText());
            assertEquals(run.getString("status").toLowerCase(java.util.Locale.ROOT), body.path("status").asText());
            assertEquals("run." + body.path("status").asText(), delivery.getString("eventType"));
        }
    }

    @Test
    void aRunWithARequestIdHasTheKeyWorkflowServiceDerivesAndAnIdThatGrowsWithTime() {
        Document run = seeder.runDocument(seeder.historyRun(7));
        ObjectId expected = HistorySeeder.requestKey(run.getString("ownerUserId"), run.getString("workflowId"),
                run.getString("requestId"));
        assertEquals(expected, run.getObjectId("requestKey"));
        // RunService.requestKey: the first 24 hex digits of SHA-256(user \0 workflow \0 request id).
        assertEquals(new ObjectId("db60f1a08cc4baedfb9538ef"), HistorySeeder.requestKey("u", "w", "r"));
        for (int i = 0; i < 200; i++) {
            Document r = seeder.runDocument(seeder.historyRun(i));
            assertEquals(r.getDate("createdAt").getTime() / 1000, r.getObjectId("_id").getTimestamp(),
                    "the id's time is the run's creation second");
            assertTrue(r.getObjectId("_id").compareTo(new ObjectId()) < 0, "every history id sorts before a new run's");
        }
    }

    @Test
    void historyIsSettledAndBelongsToNobodyTheBenchmarkDrives() {
        for (int i = 0; i < 200; i++) {
            Document run = seeder.runDocument(seeder.historyRun(i));
            assertTrue(List.of("COMPLETED", "FAILED", "CANCELLED").contains(run.getString("status")));
            assertEquals("delivered", run.getString("callbackStatus"));
            assertEquals(List.of(), run.getList("pendingEvents", Object.class));
            assertFalse(run.containsKey("outboxPending") || run.containsKey("leaseOwner") || run.containsKey("leaseUntil"));
            assertTrue(run.getString("ownerUserId").startsWith("history-"), "not the demo tenant");
            Document delivery = seeder.deliveryDocument(seeder.historyRun(i));
            assertEquals("DELIVERED", delivery.getString("status"));
            assertNull(delivery.get("nextAttemptAt"));
            assertFalse(delivery.containsKey("relayPending"));
            assertEquals(delivery.getInteger("attemptsMade"), delivery.getList("attempts", Document.class).size());
        }
    }

    @Test
    void scaleKeepsTheIssuesProportions() {
        assertEquals(new HistorySeeder.Counts(2_000, 200, 200), HistorySeeder.Counts.ISSUE.scaled(0.002));
        assertEquals(new HistorySeeder.Counts(20_000, 2_000, 2_000), HistorySeeder.Counts.ISSUE.scaled(0.02));
    }
}

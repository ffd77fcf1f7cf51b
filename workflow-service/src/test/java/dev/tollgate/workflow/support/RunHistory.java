package dev.tollgate.workflow.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The history an installation accumulates: ended runs of other users, written straight into the store through the
 * driver (not through the API, which would take minutes). The documents-examined tests run every operation next to
 * it and show that none of them reads it.
 *
 * <p>The history is the worst case for this service's queries, not only the common one: its runs carry the lease of
 * the very worker the tests act as ({@link #WORKER}), long expired, and old {@code updatedAt} times. A run's end
 * normally removes its lease; here a lease renewal that selected runs by owner rather than by the ids being executed,
 * or an expired-lease sweep that did not find runs by status through an index, would read all of them, as would a stuck-queued sweep that ranged over {@code updatedAt} alone.
 */
public final class RunHistory {

    public static final int RUNS = 10_000;
    public static final int WORKFLOWS = 1_000;

    /** The worker the tests claim runs as, and whose lease every history run still names. */
    public static final String WORKER = "history-worker@tollgate-0";

    private static final int BATCH = 1_000;
    /** Written last: its presence says this store already holds the history (the stack outlives a Quarkus restart). */
    private static final ObjectId MARKER = new ObjectId("00000000000000000000ffff");
    private static final List<String> ENDS = List.of("COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "CANCELLED",
            "SETUP_REQUIRED");

    private RunHistory() {
    }

    public static synchronized void ensureSeeded(MongoDatabase db) {
        MongoCollection<Document> runs = db.getCollection("runs");
        if (runs.find(Filters.eq("_id", MARKER)).first() != null) {
            return;
        }
        List<ObjectId> workflowIds = new ArrayList<>();
        List<Document> workflows = new ArrayList<>();
        Instant origin = Instant.now().minus(Duration.ofDays(90));
        for (int i = 0; i < WORKFLOWS; i++) {
            ObjectId id = new ObjectId();
            workflowIds.add(id);
            workflows.add(new Document("_id", id).append("name", "history workflow " + i)
                    .append("description", "written by an earlier tenant")
                    .append("steps", List.of(new Document("id", "answer").append("type", "template")
                            .append("template", "You said: {prompt}")))
                    .append("requiredCredentials", List.of()).append("maxRunSeconds", 300)
                    .append("createdAt", Date.from(origin)).append("updatedAt", Date.from(origin)));
        }
        db.getCollection("workflows").insertMany(workflows);

        List<Document> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < RUNS; i++) {
            batch.add(endedRun(i == RUNS - 1 ? MARKER : new ObjectId(), i, workflowIds.get(i % WORKFLOWS), origin));
            if (batch.size() == BATCH) {
                runs.insertMany(batch);
                batch.clear();
            }
        }
    }

    private static Document endedRun(ObjectId id, int i, ObjectId workflowId, Instant origin) {
        Instant created = origin.plusSeconds(i * 60L);
        Instant started = created.plusMillis(40);
        Instant ended = started.plusSeconds(3);
        String status = ENDS.get(i % ENDS.size());
        boolean withCallback = i % 4 != 0;
        Document run = new Document("_id", id)
                .append("workflowId", workflowId.toHexString())
                .append("ownerUserId", "history-user-" + (i % 100))
                .append("budgetId", "history-budget-" + (i % 100))
                .append("status", status)
                .append("prompt", "Summarize ticket " + i)
                .append("requestId", i % 3 == 0 ? null : "history-request-" + i)
                .append("sessionId", "history-session-" + (i % 500))
                .append("responseText", "COMPLETED".equals(status) ? "You said: Summarize ticket " + i : null)
                .append("errorCode", "FAILED".equals(status) ? "tool_failed"
                        : "CANCELLED".equals(status) ? "cancelled" : "SETUP_REQUIRED".equals(status)
                                ? "missing_credentials" : null)
                .append("callbackUrl", withCallback ? "https://agents.example.com/hooks/" + i : null)
                .append("callbackStatus", withCallback ? (i % 10 == 1 ? "failed" : "delivered") : "skipped")
                .append("callbackLastStatus", withCallback ? (i % 10 == 1 ? 500 : 200) : null)
                .append("callbackAttemptedAt", withCallback ? Date.from(ended.plusMillis(20)) : null)
                .append("callbackDeliveredAt", withCallback && i % 10 != 1 ? Date.from(ended.plusMillis(20)) : null)
                .append("requestMetadata", new Document("ticket", i))
                .append("runMetadata", new Document("workflow_name", "history workflow " + (i % WORKFLOWS))
                        .append("steps_planned", 1).append("credits_spent", 5).append("attempts", 1 + i % 3)
                        .append("worker", WORKER))
                .append("createdAt", Date.from(created))
                .append("updatedAt", Date.from(ended))
                .append("startedAt", Date.from(started))
                .append("completedAt", Date.from(ended))
                .append("attempts", 1 + i % 3)
                .append("leaseOwner", WORKER)
                .append("leaseUntil", Date.from(started.plusSeconds(30)))
                .append("pendingEvents", List.of());
        run.entrySet().removeIf(e -> e.getValue() == null); // the codec stores no nulls either
        return run;
    }
}

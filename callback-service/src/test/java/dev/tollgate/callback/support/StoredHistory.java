package dev.tollgate.callback.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;

/**
 * Deliveries and signing secrets written straight into the service's collections, shaped as the service stores them:
 * what weeks of callbacks leave behind. Ended deliveries (four in five delivered after one or two attempts, one in
 * five failed after eight), deliveries still retrying hours from now, and one secret per user. All are older than
 * anything a test creates.
 */
public final class StoredHistory {

    private static final int BATCH = 1000;
    private static final int RECEIVERS = 50;

    private StoredHistory() {
    }

    public static String endedId(int i) {
        return String.format("hist-run-%06d", i);
    }

    public static String retryingId(int i) {
        return String.format("hist-retrying-%06d", i);
    }

    public static String userId(int i) {
        return "hist-user-" + i;
    }

    /** A history user's secret: derived from the index, so a test can check it was read back. */
    public static String secretOf(int i) {
        byte[] key = new byte[32];
        byte[] seed = userId(i).getBytes(StandardCharsets.US_ASCII);
        for (int b = 0; b < key.length; b++) {
            key[b] = seed[b % seed.length];
        }
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    public static boolean failed(int i) {
        return i % 5 == 0;
    }

    public static int attemptsOf(int i) {
        return failed(i) ? 8 : i % 7 == 0 ? 2 : 1;
    }

    /** Writes {@code ended} ended deliveries, {@code retrying} pending ones and {@code ended} users' secrets. */
    public static void write(MongoDatabase db, int ended, int retrying) {
        Instant start = Instant.now().minus(Duration.ofDays(8)); // one a minute: all older than a day
        MongoCollection<Document> deliveries = db.getCollection("deliveries");
        List<Document> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < ended; i++) {
            batch.add(ended(i, start.plus(Duration.ofMinutes(i))));
            flushIfFull(deliveries, batch);
        }
        for (int i = 0; i < retrying; i++) {
            batch.add(retrying(i, start.plus(Duration.ofMinutes(ended + i))));
            flushIfFull(deliveries, batch);
        }
        flush(deliveries, batch);

        MongoCollection<Document> secrets = db.getCollection("signing_secrets");
        for (int i = 0; i < ended; i++) {
            batch.add(new Document("_id", userId(i)).append("secret", secretOf(i))
                    .append("createdAt", Date.from(start.plus(Duration.ofMinutes(i)))));
            flushIfFull(secrets, batch);
        }
        flush(secrets, batch);
    }

    private static Document ended(int i, Instant createdAt) {
        String status = failed(i) ? "FAILED" : "DELIVERED";
        List<Document> attempts = new ArrayList<>();
        Instant at = createdAt.plusMillis(40);
        for (int n = 1; n <= attemptsOf(i); n++) {
            boolean last = n == attemptsOf(i);
            boolean ok = last && !failed(i);
            Instant next = last ? null : at.plus(Duration.ofMinutes(n * 5L));
            attempts.add(attempt(n, at, ok ? 204 : 503, ok ? null : "http_status: 503",
                    last ? status : "PENDING", next));
            at = next;
        }
        Document d = delivery(endedId(i), i, createdAt, status)
                .append("attemptsMade", attempts.size()).append("roundAttempts", attempts.size())
                .append("nextAttemptAt", null).append("attempts", attempts);
        if (!failed(i)) {
            d.append("deliveredAt", attempts.getLast().get("attemptedAt"));
        }
        return d;
    }

    private static Document retrying(int i, Instant createdAt) {
        List<Document> attempts = new ArrayList<>();
        Instant at = createdAt.plusMillis(40);
        for (int n = 1; n <= 3; n++) {
            attempts.add(attempt(n, at, null, "connect_failed: Connection refused", "PENDING", at.plusSeconds(300)));
            at = at.plusSeconds(300);
        }
        return delivery(retryingId(i), i, createdAt, "PENDING")
                .append("attemptsMade", 3).append("roundAttempts", 3)
                .append("nextAttemptAt", Date.from(Instant.now().plus(Duration.ofHours(1)).plusSeconds(20L * i)))
                .append("attempts", attempts);
    }

    private static Document delivery(String runId, int i, Instant createdAt, String status) {
        String url = "https://hooks.customer-" + i % RECEIVERS + ".example/tollgate/callback";
        String body = "{\"success\":true,\"data\":{\"run\":{\"run_id\":\"" + runId + "\",\"workflow_id\":\"wf-"
                + i % 97 + "\",\"status\":\"completed\",\"prompt\":\"Summarize the status of open orders\","
                + "\"response_text\":\"All 3 orders shipped.\",\"request_id\":\"req-" + i + "\",\"callback_url\":\""
                + url + "\",\"created_at\":\"" + createdAt + "\",\"completed_at\":\"" + createdAt.plusSeconds(2)
                + "\",\"callback_status\":\"pending\"}}}";
        return new Document("_id", runId).append("webhookId", "msg_" + runId).append("userId", userId(i))
                .append("url", url).append("lane", "https://hooks.customer-" + i % RECEIVERS + ".example:443")
                .append("body", body).append("eventType", "run.completed").append("status", status)
                .append("createdAt", Date.from(createdAt)).append("leaseToken", null).append("leaseUntil", null)
                .append("pendingOutcomes", List.of());
    }

    private static Document attempt(int number, Instant at, Integer httpStatus, String error, String result,
            Instant next) {
        return new Document("number", number).append("attemptedAt", Date.from(at)).append("durationMs", 35L)
                .append("httpStatus", httpStatus).append("error", error).append("result", result)
                .append("nextAttemptAt", next == null ? null : Date.from(next));
    }

    private static void flushIfFull(MongoCollection<Document> collection, List<Document> batch) {
        if (batch.size() >= BATCH) {
            flush(collection, batch);
        }
    }

    private static void flush(MongoCollection<Document> collection, List<Document> batch) {
        if (!batch.isEmpty()) {
            collection.insertMany(batch);
            batch.clear();
        }
    }
}

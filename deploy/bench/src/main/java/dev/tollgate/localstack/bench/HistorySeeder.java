package dev.tollgate.localstack.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import dev.tollgate.platform.store.Sha256;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Writes a platform's history straight into a running store through the MongoDB driver (large unordered
 * {@code insertMany} batches, not the API, so a million runs take minutes): terminal runs with their callback
 * delivered, each run's delivery with its attempts, orders, and the ledger those orders produced. Every document has
 * the shape the owning service stores (field names, BSON types, explicit {@code null}s where the service's updates
 * set them, empty outbox lists), read from workflow-service's {@code Run}/{@code RunClaims}/
 * {@code CallbackOutcomes}, callback-service's {@code Delivery}/{@code DeliveryRepository}, catalog-service's
 * {@code Order}/{@code PurchaseService} and credits-service's {@code AccountDocuments}/{@code Account}. Markers that
 * exist only while work is pending (a run's {@code outboxPending}, a delivery's {@code relayPending}, an account's
 * {@code outboxPending}, {@code nextHoldExpiry} and {@code nextGrantExpiry}) are absent, as the services leave a
 * settled document, so the sparse indexes the sweeps read hold none of the history.
 *
 * <p>All of it belongs to users and budgets of its own ({@code history-<tag>-user-N}), never to the demo tenant, so
 * the benchmark's own operations have nothing to do with it and any time they spend on it is the store's scanning.
 * Timestamps are spread over the past {@code days}. Run from {@code bench/run seed-history}, or by
 * {@link PlatformBenchmark} between its two passes.
 */
public final class HistorySeeder {

    static final String WORKFLOW_DB = "tollgate-workflow";
    static final String CALLBACK_DB = "tollgate-callbacks";
    static final String CATALOG_DB = "tollgate-catalog";
    static final String CREDITS_DB = "tollgate-credits";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InsertManyOptions UNORDERED = new InsertManyOptions().ordered(false);
    /** Runs per history user: a busy agent's month. */
    private static final int RUNS_PER_USER = 1000;
    /** Ledger transactions per credits user: one grant, then purchases. */
    private static final int TRANSACTIONS_PER_USER = 100;
    private static final long PRICE = 5;

    /** How much history: terminal runs (one delivery each), orders, ledger transactions. */
    public record Counts(int runs, int orders, int transactions) {
        /** The issue's numbers. */
        public static final Counts ISSUE = new Counts(1_000_000, 100_000, 100_000);

        public Counts scaled(double factor) {
            return new Counts((int) Math.round(runs * factor), (int) Math.round(orders * factor),
                    (int) Math.round(transactions * factor));
        }
    }

    /**
     * {@code batch} documents per insertMany; {@code textBytes} the length of each prompt and response (the size
     * knob: a run, its delivery body and its lifecycle payloads carry them); {@code tag} keeps a second seeding of
     * the same store from colliding with the first.
     */
    public record Options(Counts counts, int batch, int textBytes, int days, String tag) {
        public static Options of(Counts counts) {
            return new Options(counts, 1000, 120, 30, UUID.randomUUID().toString().substring(0, 6));
        }
    }

    /** What was written, and how long it took. */
    public record Seeded(Counts counts, long deliveries, long attempts, long holds, long accounts, long documents,
            double seconds) {
        public double documentsPerSecond() {
            return seconds <= 0 ? 0 : documents / seconds;
        }

        public String summary() {
            return String.format(Locale.ROOT, "%,d runs, %,d deliveries (%,d attempts), %,d orders, %,d ledger "
                    + "transactions, %,d holds, %,d accounts: %,d documents in %.1f s (%,.0f documents/s)",
                    counts.runs(), deliveries, attempts, counts.orders(), counts.transactions(), holds, accounts,
                    documents, seconds, documentsPerSecond());
        }
    }

    private final Options options;
    private final Instant now = Instant.now();
    private final AtomicLong documents = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();

    HistorySeeder(Options options) {
        this.options = options;
    }

    /**
     * {@code bench/run seed-history}: {@code --mongo URI} (default {@code mongodb://127.0.0.1:$TOLLGATE_MONGO_PORT},
     * 27017), {@code --scale F} (of the issue's 1,000,000 runs, 100,000 orders, 100,000 transactions), or
     * {@code --runs N --orders N --transactions N}; {@code --batch N}, {@code --text-bytes N}, {@code --days N}; {@code --no-compact} leaves the store's file as the load
     * left it (by default the store compacts it afterwards, see {@link #compact}).
     */
    public static void main(String[] args) throws Exception {
        String port = System.getenv().getOrDefault("TOLLGATE_MONGO_PORT", "27017");
        String uri = "mongodb://127.0.0.1:" + port;
        Counts counts = Counts.ISSUE;
        Options defaults = Options.of(counts);
        int batch = defaults.batch();
        int textBytes = defaults.textBytes();
        int days = defaults.days();
        Integer runs = null;
        Integer orders = null;
        Integer transactions = null;
        boolean compact = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mongo" -> uri = args[++i];
                case "--scale" -> counts = Counts.ISSUE.scaled(Double.parseDouble(args[++i]));
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--orders" -> orders = Integer.parseInt(args[++i]);
                case "--transactions" -> transactions = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--text-bytes" -> textBytes = Integer.parseInt(args[++i]);
                case "--days" -> days = Integer.parseInt(args[++i]);
                case "--no-compact" -> compact = false;
                default -> {
                    System.err.println("usage: bench/run seed-history [--mongo URI] [--scale F] [--runs N] "
                            + "[--orders N] [--transactions N] [--batch N] [--text-bytes N] [--days N] [--no-compact]");
                    System.exit(2);
                }
            }
        }
        counts = new Counts(runs != null ? runs : counts.runs(), orders != null ? orders : counts.orders(),
                transactions != null ? transactions : counts.transactions());
        Options options = new Options(counts, batch, textBytes, days, defaults.tag());
        System.out.printf(Locale.ROOT, "seeding %s with %,d runs, %,d orders, %,d ledger transactions (tag %s)...%n",
                uri, counts.runs(), counts.orders(), counts.transactions(), options.tag());
        Seeded seeded = seed(uri, options, System.out::println);
        System.out.println("seeded " + seeded.summary());
        if (compact) {
            System.out.println(compact(uri).summary());
        }
    }

    /** What compacting the store's file after the load did. */
    public record Compacted(long fileBytesBefore, long fileBytesAfter, double seconds) {
        public String summary() {
            return String.format(Locale.ROOT, "compacted the store's file from %,d MiB to %,d MiB in %.1f s",
                    fileBytesBefore >> 20, fileBytesAfter >> 20, seconds);
        }
    }

    /**
     * Asks the store to compact its file ({@code tollgateCompact}): a bulk load writes in minutes the superseded
     * pages that months of traffic would spread out, and the store's background rewriting would then spend many idle
     * minutes on them. Commands wait while it runs.
     */
    public static Compacted compact(String mongoUri) {
        try (MongoClient mongo = MongoClients.create(mongoUri)) {
            long t0 = System.nanoTime();
            Document answer = mongo.getDatabase("admin").runCommand(new Document("tollgateCompact", 1));
            return new Compacted(answer.get("fileBytesBefore", Number.class).longValue(),
                    answer.get("fileBytesAfter", Number.class).longValue(), (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Seeds the store at {@code mongoUri}; {@code progress} gets a line now and then. */
    public static Seeded seed(String mongoUri, Options options, java.util.function.Consumer<String> progress)
            throws Exception {
        return new HistorySeeder(options).seed(mongoUri, progress);
    }

    Seeded seed(String mongoUri, java.util.function.Consumer<String> progress) throws Exception {
        Counts c = options.counts();
        int runUsers = Math.max(1, (c.runs() + RUNS_PER_USER - 1) / RUNS_PER_USER);
        int creditUsers = Math.max(1, c.transactions() / TRANSACTIONS_PER_USER);
        long t0 = System.nanoTime();
        try (MongoClient mongo = MongoClients.create(mongoUri);
                ExecutorService writers = Executors.newFixedThreadPool(3)) {
            MongoCollection<Document> runs = mongo.getDatabase(WORKFLOW_DB).getCollection("runs");
            MongoCollection<Document> deliveries = mongo.getDatabase(CALLBACK_DB).getCollection("deliveries");
            // One writer per service's collections: the store serialises writes per collection, not across them.
            int[] byId = runsInIdOrder(c.runs());
            List<Future<?>> done = new ArrayList<>();
            done.add(writers.submit(() -> insert(runs, c.runs(), k -> runDocument(historyRun(byId[k])), "runs",
                    progress)));
            done.add(writers.submit(() -> insert(deliveries, c.runs(), k -> deliveryDocument(historyRun(byId[k])),
                    "deliveries", progress)));
            done.add(writers.submit(() -> {
                commerce(mongo, creditUsers, progress);
                return null;
            }));
            try {
                for (Future<?> f : done) {
                    f.get();
                }
            } catch (java.util.concurrent.ExecutionException e) {
                writers.shutdownNow(); // the other writers stop at their next batch
                throw e;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Seeded(c, c.runs(), attempts.get(), c.orders(), c.transactions() > 0 ? creditUsers : 0,
                documents.get(), seconds);
    }

    /**
     * The history runs' numbers in the order of their ids. A run's id grows with its creation time, which is drawn at
     * random, so in number order the ids land all over the store's B-trees and every insert reads a page the cache no
     * longer holds; in id order each batch appends where the last one ended (the run id is also the delivery's id).
     */
    private int[] runsInIdOrder(int count) {
        record Keyed(ObjectId id, int number) {
        }
        List<Keyed> keyed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keyed.add(new Keyed(runId(i), i));
        }
        keyed.sort((a, b) -> a.id().compareTo(b.id()));
        return keyed.stream().mapToInt(Keyed::number).toArray();
    }

    private Void insert(MongoCollection<Document> collection, int count, IntFunction<Document> document,
            String what, java.util.function.Consumer<String> progress) {
        List<Document> batch = new ArrayList<>(options.batch());
        int step = Math.max(options.batch(), count / 5);
        for (int i = 0; i < count && !Thread.currentThread().isInterrupted(); i++) {
            batch.add(document.apply(i));
            if (batch.size() == options.batch() || i == count - 1) {
                collection.insertMany(batch, UNORDERED);
                documents.addAndGet(batch.size());
                batch = new ArrayList<>(options.batch());
            }
            if ((i + 1) % step == 0 && i + 1 < count) {
                progress.accept(String.format(Locale.ROOT, "  %s: %,d of %,d", what, i + 1, count));
            }
        }
        return null;
    }

    // ---- workflow-service runs and callback-service deliveries ----

    /** Everything about history run {@code i}, derived from {@code i} alone: both writers build the same run. */
    record HistoryRun(ObjectId id, String userId, String budgetId, String workflowId, String status, String requestId,
            String prompt, String responseText, String errorCode, String errorMessage, String callbackUrl,
            Map<String, Object> requestMetadata, Map<String, Object> runMetadata, Instant createdAt,
            Instant startedAt, Instant completedAt, Instant callbackAttemptedAt, boolean retried, long durationMs,
            int attempts) {
    }

    private ObjectId runId(int i) {
        return historyRun(i).id();
    }

    private static String workflowId(int i) {
        return hexId("workflow", i % 8);
    }

    private String requestId(int i) {
        return "hist-" + options.tag() + "-" + i;
    }

    HistoryRun historyRun(int i) {
        SplittableRandom random = new SplittableRandom(((long) options.tag().hashCode() << 32) ^ i);
        int user = i / RUNS_PER_USER;
        String userId = userId(user);
        String budgetId = hexId("budget", user);
        String workflowId = workflowId(i);
        random.nextInt(); // keeps the sequence of the draws below independent of how the workflow is chosen
        String requestId = requestId(i);
        Instant created = now.minusMillis(random.nextLong(Duration.ofDays(options.days()).toMillis()))
                .minusSeconds(60);
        ObjectId id = timeOrderedId(created, i);
        int roll = random.nextInt(100);
        String status = roll < 90 ? "COMPLETED" : roll < 97 ? "FAILED" : "CANCELLED";
        boolean cancelledWhileQueued = status.equals("CANCELLED");
        Instant started = cancelledWhileQueued ? null : created.plusMillis(5 + random.nextInt(200));
        Instant completed = (started == null ? created : started).plusMillis(20 + random.nextInt(3000));
        Instant attempted = completed.plusMillis(5 + random.nextInt(100));
        boolean retried = random.nextInt(100) < 5;
        if (retried) {
            attempted = attempted.plusSeconds(5); // the retry schedule's second attempt
        }
        Map<String, Object> requestMetadata = new LinkedHashMap<>();
        requestMetadata.put("source", "history-agent");
        requestMetadata.put("ticket", "T-" + (100_000 + random.nextInt(900_000)));
        requestMetadata.put("priority", random.nextInt(5));
        Map<String, Object> runMetadata = new LinkedHashMap<>();
        runMetadata.put("workflow_name", "History workflow " + workflowId.substring(18));
        runMetadata.put("steps_planned", 1);
        if (!cancelledWhileQueued) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("id", "answer");
            step.put("type", "template");
            step.put("credits", 0L);
            runMetadata.put("steps_executed", status.equals("COMPLETED") ? List.of(step) : List.of());
            runMetadata.put("credits_spent", 0L);
            runMetadata.put("attempts", 1);
            runMetadata.put("worker", "4242@history-worker");
        }
        String errorCode = switch (status) {
            case "FAILED" -> "step_failed";
            case "CANCELLED" -> "cancelled";
            default -> null;
        };
        String errorMessage = switch (status) {
            case "FAILED" -> "Step answer failed unexpectedly";
            case "CANCELLED" -> "Cancelled before it started";
            default -> null;
        };
        return new HistoryRun(id, userId, budgetId, workflowId, status, requestId, text(random, "Summarise ticket"),
                status.equals("COMPLETED") ? text(random, "Summary") : null, errorCode, errorMessage,
                "https://hooks.example.com/tollgate/" + userId, requestMetadata, runMetadata, created, started,
                completed, attempted, retried, 10 + random.nextInt(200), cancelledWhileQueued ? 0 : 1);
    }

    /**
     * A run as workflow-service leaves it: persisted by the POJO codec (null fields absent), claimed, finished
     * ({@code RunClaims.finish} sets its fields, nulls included, and unsets the lease), its outbox relayed (empty
     * {@code pendingEvents}), and the delivered callback folded in ({@code CallbackOutcomes.fold}).
     */
    Document runDocument(HistoryRun r) {
        Document d = new Document("_id", r.id()).append("workflowId", r.workflowId())
                .append("ownerUserId", r.userId()).append("budgetId", r.budgetId()).append("status", r.status())
                .append("prompt", r.prompt()).append("requestId", r.requestId())
                .append("requestKey", requestKey(r.userId(), r.workflowId(), r.requestId()));
        boolean cancelledWhileQueued = r.startedAt() == null;
        if (!cancelledWhileQueued) {
            d.append("responseText", r.responseText()).append("model", null);
        }
        d.append("errorCode", r.errorCode()).append("errorMessage", r.errorMessage())
                .append("callbackUrl", r.callbackUrl()).append("callbackStatus", "delivered")
                .append("callbackLastStatus", 200).append("callbackLastError", null)
                .append("callbackAttemptedAt", date(r.callbackAttemptedAt()))
                .append("callbackDeliveredAt", date(r.callbackAttemptedAt()))
                .append("requestMetadata", new Document(r.requestMetadata()))
                .append("runMetadata", new Document(r.runMetadata()))
                .append("createdAt", date(r.createdAt())).append("updatedAt", date(r.completedAt()));
        if (!cancelledWhileQueued) {
            d.append("startedAt", date(r.startedAt()));
        }
        d.append("completedAt", date(r.completedAt()));
        if (cancelledWhileQueued) {
            d.append("cancelRequestedAt", date(r.completedAt())).append("cancelRequestedByUserId", r.userId())
                    .append("cancelRequestId", null).append("cancelReason", null);
        }
        return d.append("attempts", r.attempts()).append("pendingEvents", List.of());
    }

    /**
     * The run's delivery as callback-service leaves it once delivered ({@code DeliveryIntake.open}, then
     * {@code DeliveryRepository.record} per attempt: lease released with explicit nulls, attempts kept in the
     * document, outcomes relayed). One in twenty needed a second attempt after a 500.
     */
    Document deliveryDocument(HistoryRun r) {
        String runId = r.id().toHexString();
        Instant created = r.completedAt().plusMillis(3);
        List<Document> attemptRecords = new ArrayList<>();
        if (r.retried()) {
            Instant first = created.plusMillis(2);
            attemptRecords.add(new Document("number", 1).append("attemptedAt", date(first))
                    .append("durationMs", r.durationMs()).append("httpStatus", 500)
                    .append("error", "http_status: the receiver answered 500").append("result", "PENDING")
                    .append("nextAttemptAt", date(r.callbackAttemptedAt())));
        }
        attemptRecords.add(new Document("number", attemptRecords.size() + 1)
                .append("attemptedAt", date(r.callbackAttemptedAt())).append("durationMs", r.durationMs())
                .append("httpStatus", 200).append("result", "DELIVERED"));
        attempts.addAndGet(attemptRecords.size());
        return new Document("_id", runId).append("webhookId", "msg_" + runId).append("userId", r.userId())
                .append("url", r.callbackUrl()).append("lane", "https://hooks.example.com:443")
                .append("body", callbackBody(r)).append("eventType", "run." + r.status().toLowerCase(Locale.ROOT))
                .append("status", "DELIVERED").append("attemptsMade", attemptRecords.size())
                .append("roundAttempts", attemptRecords.size()).append("nextAttemptAt", null)
                .append("createdAt", date(created)).append("deliveredAt", date(r.callbackAttemptedAt()))
                .append("leaseToken", null).append("leaseUntil", null).append("attempts", attemptRecords)
                .append("pendingOutcomes", List.of());
    }

    /** {@code {"success":true,"data":{"run":RUN}}} with the run as its terminal lifecycle event carried it. */
    private static String callbackBody(HistoryRun r) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("run_id", r.id().toHexString());
        run.put("workflow_id", r.workflowId());
        run.put("status", r.status().toLowerCase(Locale.ROOT));
        run.put("prompt", r.prompt());
        run.put("response_text", r.responseText());
        run.put("session_id", null);
        run.put("model", null);
        run.put("error_code", r.errorCode());
        run.put("error_message", r.errorMessage());
        run.put("callback_url", r.callbackUrl());
        run.put("callback_status", "pending");
        run.put("callback_last_status", null);
        run.put("callback_last_error", null);
        run.put("callback_attempted_at", null);
        run.put("callback_delivered_at", null);
        run.put("request_metadata", r.requestMetadata());
        run.put("run_metadata", r.runMetadata());
        run.put("created_at", r.createdAt().toString());
        run.put("updated_at", r.completedAt().toString());
        run.put("started_at", r.startedAt() == null ? null : r.startedAt().toString());
        run.put("completed_at", r.completedAt().toString());
        run.put("cancel_requested_at", r.startedAt() == null ? r.completedAt().toString() : null);
        run.put("cancel_requested_by_user_id", r.startedAt() == null ? r.userId() : null);
        run.put("cancel_request_id", null);
        run.put("cancel_reason", null);
        try {
            return JSON.writeValueAsString(Map.of("success", true, "data", Map.of("run", run)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- catalog-service orders and credits-service ledger ----

    /**
     * Orders and the ledger they produced: each credits user has one grant and then purchases; each purchase is a
     * SUCCEEDED order, a CAPTURED hold (the order id is the hold id) and a {@code purchase} transaction. Orders beyond
     * the purchases the transaction count allows are FAILED ({@code tool_failed}), their holds RELEASED, with no
     * transaction, as {@code PurchaseService} leaves them. Written in time order across users, as they happened: an
     * order id is {@code ord_} and a new ObjectId, so ids (and the purchase transactions' and holds' ids) ascend.
     */
    private void commerce(MongoClient mongo, int users, java.util.function.Consumer<String> progress) {
        Counts c = options.counts();
        MongoCollection<Document> orders = mongo.getDatabase(CATALOG_DB).getCollection("orders");
        MongoCollection<Document> transactions = mongo.getDatabase(CREDITS_DB).getCollection("transactions");
        MongoCollection<Document> holds = mongo.getDatabase(CREDITS_DB).getCollection("holds");
        MongoCollection<Document> accounts = mongo.getDatabase(CREDITS_DB).getCollection("accounts");
        int purchases = Math.min(c.orders(), Math.max(0, c.transactions() - users));
        int failedOrders = c.orders() - purchases;
        boolean grants = c.transactions() > 0;
        long granted = 1_000_000;
        Instant start = now.minus(Duration.ofDays(options.days()));
        long[] sequence = new long[users];
        long[] balance = new long[users];
        long[] version = new long[users];
        int[] purchasesLeft = new int[users];
        int[] failuresLeft = new int[users];
        List<Document> orderBatch = new ArrayList<>();
        List<Document> txBatch = new ArrayList<>();
        List<Document> holdBatch = new ArrayList<>();
        List<Document> accountBatch = new ArrayList<>();
        int perUser = 0;
        for (int u = 0; u < users; u++) {
            purchasesLeft[u] = share(purchases, users, u);
            failuresLeft[u] = share(failedOrders, users, u);
            perUser = Math.max(perUser, purchasesLeft[u] + failuresLeft[u]);
            version[u] = 1;
            if (grants) {
                sequence[u] = 1;
                balance[u] = granted;
                txBatch.add(transaction("grant:" + grantId(u), userId(1_000_000 + u), "grant", granted, granted, 1,
                        start.plusMillis(u), grantId(u), null));
                flushIfFull(transactions, txBatch);
            }
        }
        SplittableRandom random = new SplittableRandom(options.tag().hashCode());
        long stepMillis = Math.max(1, Duration.ofDays(options.days()).toMillis() / Math.max(1, c.orders() + 1));
        int order = 0;
        for (int round = 0; round < perUser && !Thread.currentThread().isInterrupted(); round++) {
            for (int u = 0; u < users; u++) {
                if (purchasesLeft[u] + failuresLeft[u] == 0) {
                    continue;
                }
                // A user's failures are spread among their purchases, one in a hundred or so.
                boolean succeeded = purchasesLeft[u] > 0 && (failuresLeft[u] == 0 || random.nextInt(100) != 0);
                if (succeeded) {
                    purchasesLeft[u]--;
                } else {
                    failuresLeft[u]--;
                }
                Instant at = start.plusSeconds(60).plusMillis(order * stepMillis);
                String userId = userId(1_000_000 + u);
                String orderId = "ord_" + new ObjectId(Date.from(at), order & 0xffffff).toHexString();
                Instant settled = at.plusMillis(15 + random.nextInt(200));
                orderBatch.add(orderDocument(orderId, userId, hexId("budget", 1_000_000 + u), random, at, settled,
                        succeeded));
                version[u] += 2; // the hold, then its capture or release
                if (succeeded) {
                    sequence[u]++;
                    balance[u] -= PRICE;
                    txBatch.add(transaction("purchase:" + orderId, userId, "purchase", -PRICE, balance[u],
                            sequence[u], settled, null, orderId));
                }
                holdBatch.add(new Document("_id", orderId).append("userId", userId)
                        .append("state", succeeded ? "CAPTURED" : "RELEASED").append("amount", PRICE)
                        .append("createdAt", date(at)).append("expiresAt", date(at.plus(Duration.ofMinutes(5))))
                        .append("settledAt", date(settled)).append("reason", succeeded ? "captured" : "requested")
                        .append("transactionId", succeeded ? "purchase:" + orderId : null));
                flushIfFull(orders, orderBatch);
                flushIfFull(transactions, txBatch);
                flushIfFull(holds, holdBatch);
                order++;
                if (c.orders() >= 5 && order % (c.orders() / 5) == 0 && order < c.orders()) {
                    progress.accept(String.format(Locale.ROOT, "  orders and ledger: %,d of %,d orders", order,
                            c.orders()));
                }
            }
        }
        for (int u = 0; u < users && grants; u++) {
            Document grant = new Document("id", grantId(u))
                    .append("idempotencyKey", "history-grant-" + options.tag() + "-" + u)
                    .append("amount", granted).append("remaining", balance[u]).append("creditType", "admin_grant")
                    .append("sourceMetadata", new Document()).append("createdAt", date(start.plusMillis(u)))
                    .append("pooledAt", null).append("expiresAt", null).append("expired", false)
                    .append("revocationKeys", List.of());
            accountBatch.add(new Document("_id", userId(1_000_000 + u)).append("version", version[u])
                    .append("sequence", sequence[u]).append("grants", List.of(grant)).append("holds", List.of())
                    .append("pendingTransactions", List.of()).append("pendingHolds", List.of()));
            flushIfFull(accounts, accountBatch);
        }
        flush(orders, orderBatch);
        flush(transactions, txBatch);
        flush(holds, holdBatch);
        flush(accounts, accountBatch);
    }

    private String grantId(int u) {
        return hexId("grant-" + options.tag(), u);
    }

    /** An order as {@code PurchaseService} leaves it: persisted (nulls absent), then settled with explicit nulls. */
    private static Document orderDocument(String id, String userId, String budgetId, SplittableRandom random,
            Instant created, Instant settled, boolean succeeded) {
        String text = "History order text " + random.nextInt(1_000_000) + ". Second sentence!";
        Document d = new Document("_id", id).append("userId", userId).append("budgetId", budgetId)
                .append("productId", hexId("product", random.nextInt(4))).append("productName", "text_stats")
                .append("action", "analyze")
                .append("parametersJson", "{\"action\":\"analyze\",\"text\":\"" + text + "\"}")
                .append("priceCredits", PRICE).append("state", succeeded ? "SUCCEEDED" : "FAILED");
        if (succeeded) {
            d.append("resultJson", "{\"characters\":" + text.length() + ",\"words\":6,\"sentences\":2}");
        }
        return d.append("errorCode", succeeded ? null : "tool_failed")
                .append("errorMessage", succeeded ? null : "The tool did not answer in time")
                .append("createdAt", date(created)).append("updatedAt", date(settled));
    }

    /** A ledger transaction in its collection: {@code AccountDocuments.transaction} with {@code id} as {@code _id}. */
    private static Document transaction(String id, String userId, String type, long amount, long balanceAfter,
            long sequence, Instant createdAt, String grantId, String holdId) {
        return new Document("_id", id).append("userId", userId).append("type", type).append("amount", amount)
                .append("balanceAfter", balanceAfter).append("sequence", sequence)
                .append("createdAt", date(createdAt)).append("grantId", grantId).append("holdId", holdId);
    }

    private void flushIfFull(MongoCollection<Document> collection, List<Document> batch) {
        if (batch.size() >= options.batch()) {
            flush(collection, batch);
        }
    }

    private void flush(MongoCollection<Document> collection, List<Document> batch) {
        if (!batch.isEmpty()) {
            collection.insertMany(new ArrayList<>(batch), UNORDERED);
            documents.addAndGet(batch.size());
            batch.clear();
        }
    }

    /** User {@code u}'s part of {@code total} spread over {@code users}, the remainder to the first ones. */
    private static int share(int total, int users, int u) {
        return total / users + (u < total % users ? 1 : 0);
    }

    private String userId(int n) {
        return "history-" + options.tag() + "-user-" + n;
    }

    /** A stable ObjectId-shaped hex id for {@code kind} number {@code n}, distinct from any the services mint. */
    private static String hexId(String kind, long n) {
        return Sha256.hex(kind + ":" + n).substring(0, 24);
    }

    /**
     * Like the ObjectId workflow-service gives a new run, its creation second first (so ids grow with time, and every
     * history id sorts before the benchmark's runs), then this history's tag and the run's number, unique among them.
     */
    private ObjectId timeOrderedId(Instant created, int i) {
        return new ObjectId(ByteBuffer.allocate(12).putInt((int) created.getEpochSecond())
                .putInt(options.tag().hashCode()).putInt(i).array());
    }

    /** workflow-service's {@code RunService.requestKey}: a trigger with a request_id stores this as its request key. */
    static ObjectId requestKey(String userId, String workflowId, String requestId) {
        return new ObjectId(Sha256.hex(userId + "\u0000" + workflowId + "\u0000" + requestId).substring(0, 24));
    }

    private String text(SplittableRandom random, String prefix) {
        StringBuilder s = new StringBuilder(prefix).append(' ').append(random.nextInt(1_000_000)).append(':');
        while (s.length() < options.textBytes()) {
            s.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return s.substring(0, Math.min(s.length(), Math.max(options.textBytes(), prefix.length())));
    }

    private static final String[] WORDS = {"customer", "invoice", "refund", "delivery", "late", "account", "agent",
        "priority", "escalate", "resolved", "order", "payment", "billing", "question", "follow-up", "status"};

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }
}

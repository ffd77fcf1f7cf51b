package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import dev.tollgate.localstack.testing.BenchmarkReport;

/**
 * The store's own figures (section {@code store} of docs/benchmarks.md, written by {@code bench/run store}):
 * <ol>
 *   <li>what durability before answering costs: run-sized inserts on 1 and 8 connections, into the file (each write
 *       in the journal before its answer, journal writes grouped, checkpoints each second) and into memory (nothing
 *       written), side by side;</li>
 *   <li>that an operation's cost does not grow with history: the run path's store operations (claim by id and
 *       state, lease sweep, newest-first page, idempotency look-up) timed and their documents examined counted on an
 *       empty collection and again after a large history was added to the same collection, in one run.</li>
 * </ol>
 * In CI it runs a quick plan (small counts) that checks the harness and that documents examined stay flat; the
 * figures come from {@code bench/run store} (full plan: 1,000,000 documents of history).
 */
class StoreBenchmarkTest {

    private static final boolean FULL = Boolean.getBoolean("tollgate.benchmark");
    private static final int WRITES = FULL ? 20_000 : 1_000;
    private static final int HISTORY = FULL ? 1_000_000 : 20_000;
    private static final int SAMPLES = FULL ? 2_000 : 200;

    @Test
    void figures() throws Exception {
        StringBuilder out = new StringBuilder();
        out.append("## The embedded store: durable writes, and cost flat with history\n\n");
        out.append("Command: `bench/run store` (").append(FULL ? "full plan" : "quick plan").append("). Run on ")
                .append(BenchmarkReport.machine()).append(". The store in the benchmark's JVM on a loopback port, ")
                .append("driven with the MongoDB Java driver.\n\n");

        out.append("### Durable before answering\n\n");
        out.append(String.format(Locale.ROOT, "%,d inserts of a run-sized document (~600 bytes), per configuration.%n%n",
                WRITES));
        out.append("| store | connections | writes/s | p50 ms | p99 ms | writes per journal write |\n|---|---|---|---|---|---|\n");
        Path dir = Files.createTempDirectory("store-bench");
        try {
            for (int connections : new int[] {1, 8}) {
                try (StoreServer memory = new StoreServer(DurableStore.inMemory())) {
                    out.append(writeRow("memory (nothing written)", memory, connections));
                }
                try (StoreServer file = new StoreServer(DurableStore.open(dir.resolve("w" + connections + ".mv")))) {
                    out.append(writeRow("file, journaled before each answer", file, connections));
                }
            }

            out.append("\n### The run path's operations, empty collection vs history\n\n");
            try (StoreServer file = new StoreServer(DurableStore.open(dir.resolve("history.mv")))) {
                MongoDatabase db = file.client.getDatabase("bench");
                MongoCollection<Document> runs = db.getCollection("runs");
                runs.createIndex(Indexes.ascending("status", "leaseUntil"));
                runs.createIndex(Indexes.compoundIndex(Indexes.ascending("userId"), Indexes.descending("createdAt")));
                runs.createIndex(Indexes.ascending("requestKey"), new IndexOptions().unique(true).sparse(true));
                List<String[]> empty = measureOperations(db, runs, "empty");
                long start = System.nanoTime();
                insertHistory(runs, HISTORY);
                double seedSeconds = (System.nanoTime() - start) / 1e9;
                // as bench/run seed-history does: a bulk load's garbage, compacted once, not by the background steps
                Document compacted = db.runCommand(new Document("tollgateCompact", 1));
                List<String[]> loaded = measureOperations(db, runs, "history");
                out.append(String.format(Locale.ROOT, "History: %,d terminal runs of other users, inserted in "
                        + "%.0f s (%,.0f documents/s, 1,000 per insert), then the file compacted (`tollgateCompact`, "
                        + "%,d MiB to %,d MiB in %.1f s). Each operation %,d times; docs examined is per operation."
                        + "%n%n", HISTORY, seedSeconds, HISTORY / seedSeconds,
                        compacted.get("fileBytesBefore", Number.class).longValue() >> 20,
                        compacted.get("fileBytesAfter", Number.class).longValue() >> 20,
                        compacted.get("millis", Number.class).doubleValue() / 1000, SAMPLES));
                out.append("| operation | empty p50 ms | p99 ms | docs examined | with history p50 ms | p99 ms | "
                        + "docs examined | p50 ratio |\n|---|---|---|---|---|---|---|---|\n");
                for (int i = 0; i < empty.size(); i++) {
                    String[] e = empty.get(i);
                    String[] h = loaded.get(i);
                    double ratio = Double.parseDouble(h[1]) / Math.max(0.001, Double.parseDouble(e[1]));
                    out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.2f |%n",
                            e[0], e[1], e[2], e[3], h[1], h[2], h[3], ratio));
                    assertTrue(Double.parseDouble(h[3]) <= Double.parseDouble(e[3]) + 1,
                            e[0] + " examined " + h[3] + " documents with history against " + e[3] + " without");
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        out.append("\n");
        if (FULL) {
            BenchmarkReport.write("store", out.toString());
        }
        System.out.println(out);
    }

    private static String writeRow(String label, StoreServer server, int connections) throws Exception {
        MongoDatabase db = server.client.getDatabase("bench");
        MongoCollection<Document> docs = db.getCollection("writes");
        docs.createIndex(Indexes.ascending("status", "leaseUntil"));
        long journalWritesBefore = journalWrites(db);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        List<Future<?>> writers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            writers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < WRITES; ) {
                    long t = System.nanoTime();
                    docs.insertOne(run("w-" + i, "other", i, "QUEUED"));
                    latencies.add(System.nanoTime() - t);
                }
            }));
        }
        for (Future<?> writer : writers) {
            writer.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long journalWrites = journalWrites(db) - journalWritesBefore;
        List<Long> sorted = latencies.stream().sorted().toList();
        return String.format(Locale.ROOT, "| %s | %d | %,.0f | %.2f | %.2f | %s |%n", label, connections,
                WRITES / seconds, BenchmarkReport.millis(BenchmarkReport.percentile(sorted, 50)),
                BenchmarkReport.millis(BenchmarkReport.percentile(sorted, 99)),
                journalWrites == 0 ? "-" : String.format(Locale.ROOT, "%.1f", (double) WRITES / journalWrites));
    }

    private static long journalWrites(MongoDatabase db) {
        Number writes = db.runCommand(new Document("tollgateStats", 1)).get("journalWrites", Number.class);
        return writes == null ? 0 : writes.longValue();
    }

    private static Document run(String id, String user, int i, String status) {
        return new Document("_id", id).append("userId", user).append("budgetId", "budget-" + user)
                .append("workflowId", "wf-1").append("status", status).append("version", 4)
                .append("createdAt", new Date(1_700_000_000_000L + i)).append("requestKey", user + ":" + id)
                .append("prompt", "summarise the attached document for the weekly report, please")
                .append("requestMetadata", new Document("source", "bench").append("n", i))
                .append("callbackUrl", "https://receiver.example/callbacks/" + id)
                .append("responseText", "a short answer of a few words, as a template step would render it")
                .append("outbox", List.of());
    }

    private static void insertHistory(MongoCollection<Document> runs, int count) {
        List<Document> batch = new ArrayList<>(1000);
        for (int i = 0; i < count; i++) {
            batch.add(run("old-" + i, "user-" + (i % 5000), i, "COMPLETED"));
            if (batch.size() == 1000) {
                runs.insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            runs.insertMany(batch);
        }
    }

    /** Each operation's p50 and p99 in ms, and documents examined per operation, as table cells. */
    private static List<String[]> measureOperations(MongoDatabase db, MongoCollection<Document> runs, String phase) {
        List<String[]> rows = new ArrayList<>();
        AtomicInteger n = new AtomicInteger();
        rows.add(measure(db, "trigger: insert a queued run", () -> {
            runs.insertOne(run(phase + "-" + n.incrementAndGet(), "me-" + phase, n.get(), "QUEUED"));
            return null;
        }));
        AtomicInteger claimed = new AtomicInteger();
        rows.add(measure(db, "claim: findOneAndUpdate by _id and status", () -> runs.findOneAndUpdate(
                Filters.and(Filters.eq("_id", phase + "-" + claimed.incrementAndGet()), Filters.eq("status", "QUEUED")),
                Updates.combine(Updates.set("status", "RUNNING"), Updates.set("leaseUntil", new Date()),
                        Updates.inc("version", 1)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))));
        AtomicInteger finished = new AtomicInteger();
        rows.add(measure(db, "finish: update by _id and version", () -> runs.updateOne(
                Filters.and(Filters.eq("_id", phase + "-" + finished.incrementAndGet()), Filters.eq("version", 5)),
                Updates.combine(Updates.set("status", "COMPLETED"), Updates.unset("leaseUntil"),
                        Updates.inc("version", 1)))));
        rows.add(measure(db, "sweep: running with lease expired", () -> runs.find(Filters.and(
                Filters.eq("status", "RUNNING"), Filters.lt("leaseUntil", new Date(0)))).limit(100)
                .into(new ArrayList<>())));
        rows.add(measure(db, "status: find by _id", () -> runs.find(Filters.eq("_id", phase + "-7")).first()));
        rows.add(measure(db, "idempotency: find by request key", () -> runs.find(
                Filters.eq("requestKey", "me-" + phase + ":" + phase + "-9")).first()));
        rows.add(measure(db, "history: newest 20 of one user", () -> runs.find(Filters.eq("userId", "me-" + phase))
                .sort(Sorts.descending("createdAt")).limit(20).into(new ArrayList<>())));
        return rows;
    }

    private static String[] measure(MongoDatabase db, String name, Supplier<Object> operation) {
        List<Long> latencies = new ArrayList<>(SAMPLES);
        long examinedBefore = db.runCommand(new Document("tollgateStats", 1)).get("totalDocsExamined", Number.class)
                .longValue();
        for (int i = 0; i < SAMPLES; i++) {
            long t = System.nanoTime();
            operation.get();
            latencies.add(System.nanoTime() - t);
        }
        long examined = db.runCommand(new Document("tollgateStats", 1)).get("totalDocsExamined", Number.class)
                .longValue() - examinedBefore;
        Collections.sort(latencies);
        return new String[] {name, String.format(Locale.ROOT, "%.3f", BenchmarkReport.millis(BenchmarkReport.percentile(latencies, 50))),
                String.format(Locale.ROOT, "%.3f", BenchmarkReport.millis(BenchmarkReport.percentile(latencies, 99))),
                String.format(Locale.ROOT, "%.1f", (double) examined / SAMPLES)};
    }
}

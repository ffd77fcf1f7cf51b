package dev.tollgate.localstack.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.Document;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;

import dev.tollgate.localstack.testing.ServiceProcess;

/**
 * An acknowledged write survives a SIGKILL of the store: writers on several connections insert, update and delete
 * documents with unique and non-unique indexed fields; the store process is killed at a random moment (with
 * checkpoints every 250, 10 and 1 ms, so also while one is being written behind the commands) and started again on
 * the same file. Every write that was answered is there, index entries included (each document is found
 * through each index, and no index finds a document that is gone); the one write per writer that was in flight may
 * have happened or not, but wholly.
 */
class StoreCrashTest {

    private static final int WRITERS = 4;

    /** What one writer knows: the value each of its documents must have, null for deleted ones. */
    static final class WriterModel {
        final Map<String, Integer> acknowledged = new HashMap<>();
        String inFlightId;
        Integer inFlightValue; // the value if the in-flight write happened (null: a delete)
        boolean inFlightWasInsert;
    }

    /**
     * The store's checkpoint interval in each repetition: the default, then so often that the kill almost always lands
     * while a checkpoint is being written behind the commands (WritePipeline).
     */
    private static final long[] CHECKPOINT_MS = {250, 10, 1};

    @RepeatedTest(3)
    void acknowledgedWritesSurviveAKill(RepetitionInfo repetition) throws Exception {
        long checkpointMs = CHECKPOINT_MS[(repetition.getCurrentRepetition() - 1) % CHECKPOINT_MS.length];
        Path dir = Files.createTempDirectory("store-crash");
        Path file = dir.resolve("store.mv");
        int port = ServiceProcess.freePort();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("StoreCrashTest seed " + seed + ", a checkpoint every " + checkpointMs + " ms");

        Process store = startStore(file, port, checkpointMs);
        WriterModel[] models = new WriterModel[WRITERS];
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong acknowledgedWrites = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try (MongoClient client = client(port)) {
            MongoCollection<Document> docs = client.getDatabase("crash").getCollection("docs");
            docs.createIndex(Indexes.ascending("group", "value"));
            docs.createIndex(Indexes.ascending("unique"), new IndexOptions().unique(true));
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                WriterModel model = models[w] = new WriterModel();
                int writer = w;
                long writerSeed = random.nextLong();
                writers.add(pool.submit(() -> write(docs, writer, model, new Random(writerSeed), stop, acknowledgedWrites)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledgedWrites.get() > 200 + random.nextInt(2000));
            store.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
            stop.set(true);
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Process restarted = startStore(file, port, 250);
        try (MongoClient client = client(port)) {
            MongoCollection<Document> docs = client.getDatabase("crash").getCollection("docs");
            long checked = 0;
            for (int w = 0; w < WRITERS; w++) {
                WriterModel model = models[w];
                for (Map.Entry<String, Integer> entry : model.acknowledged.entrySet()) {
                    String id = entry.getKey();
                    Document stored = docs.find(Filters.eq("_id", id)).first();
                    if (id.equals(model.inFlightId)) {
                        Integer after = model.inFlightValue;
                        Integer actual = stored == null ? null : stored.getInteger("value");
                        assertTrue(java.util.Objects.equals(actual, entry.getValue())
                                        || java.util.Objects.equals(actual, after),
                                id + " is " + actual + ", neither " + entry.getValue() + " nor " + after + " (seed " + seed + ")");
                    } else {
                        assertEquals(entry.getValue(), stored == null ? null : stored.getInteger("value"),
                                "acknowledged state of " + id + " (seed " + seed + ")");
                    }
                    checked++;
                }
                if (model.inFlightWasInsert && !model.acknowledged.containsKey(model.inFlightId)) {
                    Document stored = docs.find(Filters.eq("_id", model.inFlightId)).first();
                    assertTrue(stored == null || stored.getInteger("value").equals(model.inFlightValue));
                }
            }
            assertTrue(checked > 100, "only " + checked + " documents written before the kill");
            // Index entries agree with the documents: each document is found through both indexes, and neither
            // index yields a document that is gone.
            for (Document document : docs.find()) {
                assertEquals(document, docs.find(Filters.and(Filters.eq("group", document.get("group")),
                        Filters.eq("value", document.get("value")), Filters.eq("_id", document.get("_id")))).first());
                assertEquals(document.get("_id"), docs.find(Filters.eq("unique", document.get("unique"))).first().get("_id"));
            }
            for (int w = 0; w < WRITERS; w++) {
                long viaIndex = docs.countDocuments(Filters.and(Filters.eq("group", w), Filters.gte("value", 0)));
                long viaScan = docs.countDocuments(Filters.regex("_id", "^w" + w + "-"));
                assertEquals(viaScan, viaIndex, "group " + w);
            }
            // and the reopened store still takes writes through its indexes
            docs.insertOne(new Document("_id", "after").append("group", 99).append("value", 1).append("unique", "after"));
            assertEquals(1, docs.countDocuments(Filters.eq("group", 99)));
        } finally {
            restarted.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void write(MongoCollection<Document> docs, int writer, WriterModel model, Random random,
                              AtomicBoolean stop, AtomicLong acknowledgedWrites) {
        int next = 0;
        List<String> live = new ArrayList<>();
        while (!stop.get()) {
            int op = live.isEmpty() ? 0 : random.nextInt(10);
            try {
                if (op < 5) {
                    String id = "w" + writer + "-" + next++;
                    int value = random.nextInt(1000);
                    model.inFlightId = id;
                    model.inFlightValue = value;
                    model.inFlightWasInsert = true;
                    docs.insertOne(new Document("_id", id).append("group", writer).append("value", value)
                            .append("unique", id + "/" + value));
                    model.acknowledged.put(id, value);
                    live.add(id);
                } else if (op < 8) {
                    String id = live.get(random.nextInt(live.size()));
                    int value = random.nextInt(1000);
                    model.inFlightId = id;
                    model.inFlightValue = value;
                    model.inFlightWasInsert = false;
                    docs.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("group", writer)),
                            Updates.combine(Updates.set("value", value), Updates.set("unique", id + "/" + value)));
                    model.acknowledged.put(id, value);
                } else {
                    String id = live.remove(random.nextInt(live.size()));
                    model.inFlightId = id;
                    model.inFlightValue = null;
                    model.inFlightWasInsert = false;
                    docs.deleteOne(Filters.eq("_id", id));
                    model.acknowledged.put(id, null);
                }
                model.inFlightId = null;
                acknowledgedWrites.incrementAndGet();
            } catch (RuntimeException storeGone) {
                return; // the store was killed: this write's outcome is unknown, and it stays in flight
            }
        }
    }

    private static MongoClient client(int port) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + port))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(2, TimeUnit.SECONDS).readTimeout(5, TimeUnit.SECONDS))
                .applyToConnectionPoolSettings(b -> b.maxSize(WRITERS + 2))
                .retryWrites(false)
                .build());
    }

    private static Process startStore(Path file, int port, long checkpointMs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-Dtollgate.store.checkpoint-ms=" + checkpointMs,
                "-cp", System.getProperty("java.class.path"),
                StoreProcessMain.class.getName(), file.toString(), String.valueOf(port))
                .redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream()));
        Map<String, String> seen = new ConcurrentHashMap<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = output.readLine()) != null; ) {
                    if (line.startsWith("STORE-READY")) {
                        seen.put("ready", line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "store-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsKey("ready") || !process.isAlive());
        assertTrue(process.isAlive(), "the store did not start");
        return process;
    }
}

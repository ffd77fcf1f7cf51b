package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

/**
 * Checkpoints are written while commands go on ({@link WritePipeline}): with a checkpoint every millisecond, four
 * writers update the same documents (top-level and nested fields, arrays) through updates and findOneAndUpdate, so
 * pages holding those documents are being written while the documents change. Every update is kept exactly, the
 * store reopens from its files to the same state, index entries included, and the checkpoints were written behind
 * (the store's own counters say so). Were an update to change a stored document in place, such a write could meet
 * it mid-change (H2 closes the store for good when a write fails); documents are stored as BSON bytes and every read
 * decodes a copy ({@link DocumentType}).
 */
class CheckpointWrittenBehindTest {

    private static final int WRITERS = 4;
    private static final int DOCUMENTS = 40;
    private static final int UPDATES_PER_WRITER = 1_500;
    private static final long NEVER = 3_600_000;

    @Test
    void updatesRacingCheckpointsWrittenBehindAreKeptExactly() throws Exception {
        Path dir = Files.createTempDirectory("written-behind");
        Path file = dir.resolve("tollgate.mv");
        int[] expected = new int[DOCUMENTS];
        try (StoreServer server = new StoreServer(DurableStore.open(file, 1))) {
            MongoDatabase db = server.client.getDatabase("behind");
            MongoCollection<Document> docs = db.getCollection("docs");
            docs.createIndex(Indexes.ascending("group", "value"));
            for (int i = 0; i < DOCUMENTS; i++) {
                Document document = new Document("_id", "d" + i).append("group", i % WRITERS).append("value", 0)
                        .append("tags", new ArrayList<>()).append("nested", new Document("n", 0).append("by", ""));
                for (int f = 0; f < 40; f++) { // fields enough that writing a document takes a while
                    document.append("f" + f, "value of field " + f);
                }
                docs.insertOne(document);
            }
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<int[]>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> update(docs, writer)));
                }
                for (Future<int[]> writer : writers) {
                    int[] counts = writer.get(120, TimeUnit.SECONDS);
                    for (int i = 0; i < DOCUMENTS; i++) {
                        expected[i] += counts[i];
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertExact(docs, expected);
            Document stats = db.runCommand(new Document("tollgateStats", 1));
            assertTrue(stats.get("commits", Number.class).longValue() > 20, stats.toJson());
            assertTrue(stats.get("writtenBehind", Number.class).longValue() > 20,
                    "checkpoints were written while commands went on: " + stats.toJson());
        }
        try (StoreServer reopened = new StoreServer(DurableStore.open(file, NEVER))) {
            assertExact(reopened.client.getDatabase("behind").getCollection("docs"), expected);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Updates the documents of its group; answers how many times it changed each one. */
    private static int[] update(MongoCollection<Document> docs, int writer) {
        Random random = new Random(writer);
        int[] counts = new int[DOCUMENTS];
        for (int u = 0; u < UPDATES_PER_WRITER; u++) {
            int i = writer + WRITERS * random.nextInt(DOCUMENTS / WRITERS);
            int value = counts[i] + 1;
            if (u % 3 == 0) {
                Document after = docs.findOneAndUpdate(Filters.eq("_id", "d" + i),
                        Updates.combine(Updates.inc("value", 1), Updates.set("nested.n", value),
                                Updates.pushEach("tags", List.of("t" + value), new PushOptions().slice(-5))),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
                assertEquals(value, after.getInteger("value"));
            } else {
                // A field added and removed in turn: the update changes which fields the document has, not only
                // their values.
                docs.updateOne(Filters.and(Filters.eq("_id", "d" + i), Filters.eq("group", writer)),
                        Updates.combine(Updates.inc("value", 1), Updates.set("nested.n", value),
                                Updates.set("nested.by", "w" + writer),
                                value % 2 == 0 ? Updates.set("flag" + value % 10, value) : Updates.unset("flag" + (value - 1) % 10),
                                Updates.pushEach("tags", List.of("t" + value), new PushOptions().slice(-5))));
            }
            counts[i] = value;
        }
        return counts;
    }

    private static void assertExact(MongoCollection<Document> docs, int[] expected) {
        for (int i = 0; i < DOCUMENTS; i++) {
            Document stored = docs.find(Filters.eq("_id", "d" + i)).first();
            assertNotNull(stored, "d" + i);
            assertEquals(expected[i], stored.getInteger("value"), "d" + i);
            assertEquals(expected[i], stored.get("nested", Document.class).getInteger("n"), "d" + i);
            if (expected[i] > 0) {
                List<String> tags = stored.getList("tags", String.class);
                assertEquals("t" + expected[i], tags.getLast(), "d" + i);
                assertTrue(tags.size() <= 5);
            }
            assertEquals(stored, docs.find(Filters.and(Filters.eq("group", i % WRITERS),
                    Filters.eq("value", expected[i]), Filters.eq("_id", "d" + i))).first(), "d" + i + " by its index");
        }
    }
}

package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import dev.tollgate.localstack.LocalStack;
import dev.tollgate.localstack.testing.DocsExamined;

/**
 * {@code tollgateCompact} after a write-heavy load: the file shrinks, every document and index entry is still there,
 * also after the store reopens the file, and writes after it are durable like any other.
 */
class FileCompactionTest {

    private static final int DOCUMENTS = 20_000;

    @Test
    void compactingShrinksTheFileAndKeepsEveryDocumentAndIndexEntry() throws Exception {
        Path dir = Files.createTempDirectory("compaction");
        Path file = dir.resolve("tollgate.mv");
        try {
            // A checkpoint every few milliseconds: the garbage of the commit-per-write store a bulk load leaves.
            try (StoreServer server = new StoreServer(DurableStore.open(file, 2))) {
                MongoDatabase db = server.client.getDatabase("workflow");
                MongoCollection<Document> runs = db.getCollection("runs");
                runs.createIndex(Indexes.ascending("status", "leaseUntil"));
                // Small batches of inserts and random single updates, most in a commit of their own, each leaving a
                // chunk mostly superseded by the next, as a bulk load does.
                List<Document> batch = new ArrayList<>();
                for (int i = 0; i < DOCUMENTS; i++) {
                    batch.add(new Document("_id", i).append("status", "QUEUED").append("leaseUntil", 0)
                            .append("text", "x".repeat(200)));
                    if (batch.size() == 100) {
                        runs.insertMany(batch);
                        batch.clear();
                    }
                }
                Random random = new Random(7);
                for (int i = 0; i < 3_000; i++) {
                    int id = random.nextInt(DOCUMENTS);
                    runs.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("status", "DONE"),
                            Updates.set("leaseUntil", id)));
                }

                Document compacted = db.runCommand(new Document("tollgateCompact", 1));

                long before = compacted.get("fileBytesBefore", Number.class).longValue();
                long after = compacted.get("fileBytesAfter", Number.class).longValue();
                assertTrue(after < before / 2, "the file shrank from " + before + " to " + after + " bytes");
                assertEquals(after, Files.size(file));
                assertEverythingThere(db, runs);
                runs.insertOne(new Document("_id", -1).append("status", "QUEUED").append("leaseUntil", 0));
            }

            try (StoreServer reopened = new StoreServer(DurableStore.open(file))) {
                MongoDatabase db = reopened.client.getDatabase("workflow");
                MongoCollection<Document> runs = db.getCollection("runs");
                assertEquals("QUEUED", runs.find(Filters.eq("_id", -1)).first().getString("status"));
                runs.deleteOne(Filters.eq("_id", -1));
                assertEverythingThere(db, runs);
            }
        } finally {
            LocalStack.deleteRecursively(dir);
        }
    }

    private static void assertEverythingThere(MongoDatabase db, MongoCollection<Document> runs) {
        assertEquals(DOCUMENTS, runs.countDocuments());
        long done = runs.countDocuments(Filters.eq("status", "DONE"));
        // the index agrees with the documents: the done ones found through it, in order, reading only those
        var viaIndex = DocsExamined.measure(db, () -> runs.find(Filters.and(Filters.eq("status", "DONE"),
                Filters.gte("leaseUntil", 0))).sort(Sorts.ascending("leaseUntil")).into(new ArrayList<>()));
        assertEquals(done, viaIndex.result().size());
        assertEquals(done, viaIndex.docsExamined());
        for (int i = 1; i < viaIndex.result().size(); i++) {
            assertTrue(viaIndex.result().get(i - 1).getInteger("leaseUntil")
                    <= viaIndex.result().get(i).getInteger("leaseUntil"));
        }
        assertEquals(200, runs.find(Filters.eq("_id", DOCUMENTS - 1)).first().getString("text").length());
    }
}

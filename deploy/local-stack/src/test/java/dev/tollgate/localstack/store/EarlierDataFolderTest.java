package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import de.bwaldvogel.mongo.backend.h2.H2Backend;

import dev.tollgate.localstack.testing.DocsExamined;

/**
 * A data folder written by the previous version (the library's own H2 backend: unique indexes ordered by H2's bytes
 * of serialized keys, non-unique indexes never built) opens: its unique indexes are rebuilt in MongoDB's key order,
 * its non-unique ones built for the first time, and both then serve queries and keep enforcing uniqueness.
 */
class EarlierDataFolderTest {

    @Test
    void aFolderOfThePreviousVersionOpensWithWorkingIndexes() throws Exception {
        Path dir = Files.createTempDirectory("earlier-folder");
        Path file = dir.resolve("tollgate.mv");
        try {
            // the previous version: the library's backend, H2's own auto-commit (closed cleanly here)
            try (StoreServer old = new StoreServer(new H2Backend(file.toString()))) {
                MongoCollection<Document> orders = old.client.getDatabase("catalog").getCollection("orders");
                orders.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
                orders.createIndex(Indexes.ascending("state", "updatedAt"));
                List<Document> batch = new ArrayList<>();
                for (int i = 0; i < 3000; i++) {
                    batch.add(new Document("_id", "order-" + i).append("key", "k-" + i)
                            .append("state", i % 100 == 0 ? "HELD" : "SETTLED").append("updatedAt", i));
                }
                orders.insertMany(batch);
            }

            try (StoreServer current = new StoreServer(DurableStore.open(file))) {
                var db = current.client.getDatabase("catalog");
                MongoCollection<Document> orders = db.getCollection("orders");
                assertEquals(3000, orders.countDocuments());
                var byKey = DocsExamined.measure(db, () -> orders.find(Filters.eq("key", "k-1234")).first());
                assertEquals("order-1234", byKey.result().getString("_id"));
                assertEquals(1, byKey.docsExamined());
                var held = DocsExamined.measure(db, () -> orders.find(Filters.and(Filters.eq("state", "HELD"),
                        Filters.lt("updatedAt", 1000))).sort(Sorts.ascending("updatedAt")).into(new ArrayList<>()));
                assertEquals(10, held.result().size());
                assertEquals(10, held.docsExamined());
                assertThrows(MongoWriteException.class, () -> orders.insertOne(new Document("_id", "again")
                        .append("key", "k-7")));
                assertEquals("order-2999", orders.find(Filters.eq("_id", "order-2999")).first().getString("_id"));
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    /**
     * ObjectId keys the previous version wrote (Java-serialized by H2's generic format) and the ones this version
     * writes (12 bytes, {@link DocumentIdType}) live in one map: found by {@code _id}, in order, unique, and still
     * so once the mixed pages have been written to the file and read back.
     */
    @Test
    void objectIdsWrittenBeforeAndAfterShareTheirCollection() throws Exception {
        Path dir = Files.createTempDirectory("earlier-ids");
        Path file = dir.resolve("tollgate.mv");
        List<ObjectId> ids = new ArrayList<>();
        try {
            try (StoreServer old = new StoreServer(new H2Backend(file.toString()))) {
                insertRuns(old.client.getDatabase("workflow").getCollection("runs"), 0, 2000, ids);
            }
            try (StoreServer current = new StoreServer(DurableStore.open(file))) {
                MongoCollection<Document> runs = current.client.getDatabase("workflow").getCollection("runs");
                assertEquals(7, runs.find(Filters.eq("_id", ids.get(7))).first().getInteger("n"));
                // A few documents only: their leaves are rewritten in the new format, the others stay as the
                // previous version wrote them, so the reopened file holds pages of both.
                runs.updateMany(Filters.lt("n", 10), Updates.set("touched", true));
                insertRuns(runs, 2000, 3000, ids);
            }
            try (StoreServer reopened = new StoreServer(DurableStore.open(file))) {
                MongoCollection<Document> runs = reopened.client.getDatabase("workflow").getCollection("runs");
                assertEquals(3000, runs.countDocuments());
                for (int i = 0; i < ids.size(); i += i < 10 ? 1 : 97) {
                    Document run = runs.find(Filters.eq("_id", ids.get(i))).first();
                    assertEquals(i, run.getInteger("n"), "run " + i + " by _id");
                    assertEquals(i < 10, run.getBoolean("touched", false), "run " + i + "'s update");
                }
                List<ObjectId> inOrder = runs.find().sort(Sorts.ascending("_id")).map(d -> d.getObjectId("_id"))
                        .into(new ArrayList<>());
                assertEquals(ids.stream().sorted().toList(), inOrder);
                assertThrows(MongoWriteException.class, () -> runs.insertOne(new Document("_id", ids.get(5))));
                assertThrows(MongoWriteException.class, () -> runs.insertOne(new Document("_id", ids.get(2500))));
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Runs {@code from} to {@code to} (field {@code n}) with new ObjectIds, which are added to {@code ids}. */
    private static void insertRuns(MongoCollection<Document> runs, int from, int to, List<ObjectId> ids) {
        List<Document> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ObjectId id = new ObjectId();
            ids.add(id);
            batch.add(new Document("_id", id).append("n", i));
        }
        runs.insertMany(batch);
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;

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
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

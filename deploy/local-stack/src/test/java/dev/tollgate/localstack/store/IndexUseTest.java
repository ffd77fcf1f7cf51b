package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import dev.tollgate.localstack.testing.DocsExamined;

/**
 * The query shapes the services use read only their own documents from a collection holding 10,000 others: the
 * documents-examined counter stays at the size of the answer.
 */
class IndexUseTest {

    private static final int HISTORY = 10_000;

    private static StoreServer store;
    private static MongoDatabase db;
    private static MongoCollection<Document> runs;

    @BeforeAll
    static void seed() {
        store = new StoreServer(DurableStore.inMemory());
        db = store.client.getDatabase("index-use");
        runs = db.getCollection("runs");
        runs.createIndex(Indexes.ascending("status", "leaseUntil"));
        runs.createIndex(Indexes.compoundIndex(Indexes.ascending("userId"), Indexes.descending("createdAt")));
        runs.createIndex(Indexes.ascending("requestKey"), new IndexOptions().unique(true).sparse(true));
        List<Document> history = new ArrayList<>();
        Date past = Date.from(Instant.parse("2026-01-01T00:00:00Z"));
        for (int i = 0; i < HISTORY; i++) {
            history.add(new Document("_id", "old-" + i).append("status", "COMPLETED").append("userId", "other")
                    .append("createdAt", new Date(past.getTime() + i)).append("version", 3)
                    .append("requestKey", "other:" + i));
            if (history.size() == 1000) {
                runs.insertMany(history);
                history.clear();
            }
        }
        for (int i = 0; i < 5; i++) {
            runs.insertOne(new Document("_id", "mine-" + i).append("status", i < 2 ? "RUNNING" : "QUEUED")
                    .append("userId", "me").append("createdAt", new Date(past.getTime() + HISTORY + i))
                    .append("leaseUntil", new Date(past.getTime() - 1000 + i)).append("version", 1));
        }
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @Test
    void conditionalUpdateByIdReadsOneDocument() {
        var measured = DocsExamined.measure(db, () -> runs.findOneAndUpdate(
                Filters.and(Filters.eq("_id", "mine-3"), Filters.eq("status", "QUEUED"), Filters.eq("version", 1)),
                Updates.combine(Updates.set("status", "RUNNING"), Updates.inc("version", 1)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
        assertEquals("RUNNING", measured.result().getString("status"));
        assertEquals(1, measured.docsExamined());
    }

    @Test
    void expiredLeaseSweepReadsOnlyRunningRuns() {
        var measured = DocsExamined.measure(db, () -> runs.find(Filters.and(Filters.eq("status", "RUNNING"),
                Filters.lt("leaseUntil", new Date()))).into(new ArrayList<>()));
        assertTrue(measured.result().size() >= 2);
        assertTrue(measured.docsExamined() <= 3, "examined " + measured.docsExamined());
    }

    @Test
    void newestFirstPageStopsAtTheLimit() {
        var measured = DocsExamined.measure(db, () -> runs.find(Filters.eq("userId", "other"))
                .sort(Sorts.descending("createdAt")).limit(10).into(new ArrayList<>()));
        assertEquals("old-" + (HISTORY - 1), measured.result().get(0).getString("_id"));
        assertEquals(10, measured.result().size());
        assertTrue(measured.docsExamined() <= 11, "examined " + measured.docsExamined());
        var reversed = DocsExamined.measure(db, () -> runs.find(Filters.eq("userId", "other"))
                .sort(Sorts.ascending("createdAt")).skip(20).limit(10).into(new ArrayList<>()));
        assertEquals("old-20", reversed.result().get(0).getString("_id"));
        assertTrue(reversed.docsExamined() <= 31, "examined " + reversed.docsExamined());
    }

    @Test
    void inOnAnIndexedKeyReadsOnlyTheMatches() {
        long examined = DocsExamined.during(db, () -> runs.find(Filters.in("_id", "mine-0", "mine-1", "nope"))
                .into(new ArrayList<>()));
        assertEquals(2, examined);
    }

    @Test
    void uniqueSparseKeyPlusConditionReadsOneDocument() {
        long examined = DocsExamined.during(db, () -> runs.find(Filters.and(Filters.eq("requestKey", "other:77"),
                Filters.eq("userId", "other"))).first());
        assertEquals(1, examined);
    }

    @Test
    void countDocumentsIsAPipelineWhoseLeadingMatchUsesTheIndex() {
        var measured = DocsExamined.measure(db, () -> runs.countDocuments(Filters.and(Filters.eq("userId", "me"),
                Filters.gte("createdAt", new Date(0)))));
        assertEquals(5L, measured.result());
        assertEquals(5, measured.docsExamined());
        var grouped = DocsExamined.measure(db, () -> runs.aggregate(List.of(
                com.mongodb.client.model.Aggregates.match(Filters.eq("status", "RUNNING")),
                com.mongodb.client.model.Aggregates.group("$userId", com.mongodb.client.model.Accumulators.sum("n", 1))))
                .into(new ArrayList<>()));
        assertTrue(grouped.result().stream().anyMatch(g -> "me".equals(g.get("_id")) && g.getInteger("n") >= 2));
        assertTrue(grouped.docsExamined() <= 3, "examined " + grouped.docsExamined());
    }

    @Test
    void aQueryNoIndexServesIsCountedAsAScan() {
        Document before = db.runCommand(new Document("tollgateStats", 1));
        runs.find(Filters.eq("version", 99)).first();
        Document after = db.runCommand(new Document("tollgateStats", 1));
        long scans = after.get("collectionScans", Document.class).get("runs", Number.class).longValue()
                - before.get("collectionScans", Document.class).get("runs", Number.class).longValue();
        assertEquals(1, scans);
    }

    @Test
    void ttlAndPartialIndexesAreRefused() {
        MongoCollection<Document> other = db.getCollection("refused");
        assertThrows(MongoCommandException.class, () -> other.createIndex(Indexes.ascending("at"),
                new IndexOptions().expireAfter(60L, java.util.concurrent.TimeUnit.SECONDS)));
        assertThrows(MongoCommandException.class, () -> other.createIndex(Indexes.ascending("at"),
                new IndexOptions().partialFilterExpression(Filters.eq("a", 1))));
    }
}

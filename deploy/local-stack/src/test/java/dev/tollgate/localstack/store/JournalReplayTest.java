package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

import dev.tollgate.localstack.LocalStack;

/**
 * What the store's files hold at any moment between checkpoints (the H2 file at the last checkpoint, the journal as
 * written) opens to exactly the acknowledged state: the files are copied while the store runs, which is what a kill
 * leaves, and the copy is opened. {@link StoreCrashTest} does the same with a real SIGKILL at a random moment.
 */
class JournalReplayTest {

    private static final long NEVER = 3_600_000;

    @Test
    void filesCopiedBetweenCheckpointsOpenToEveryAcknowledgedWrite() throws Exception {
        Path dir = Files.createTempDirectory("journal");
        Path file = dir.resolve("tollgate.mv");
        Path copy = Files.createDirectories(dir.resolve("copy")).resolve("tollgate.mv");
        try {
            try (StoreServer server = new StoreServer(DurableStore.open(file, NEVER))) {
                MongoDatabase db = server.client.getDatabase("journal");
                MongoCollection<Document> docs = db.getCollection("docs");
                docs.createIndex(Indexes.ascending("unique"), new IndexOptions().unique(true));
                docs.createIndex(Indexes.ascending("group", "value"));
                docs.insertOne(new Document("_id", "before").append("unique", "u-before").append("group", 1)
                        .append("value", 0));

                List<Document> batch = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    batch.add(new Document("_id", "d" + i).append("unique", "u" + i).append("group", i % 5)
                            .append("value", i));
                }
                docs.insertMany(batch);
                for (int i = 0; i < 500; i += 3) {
                    docs.updateOne(Filters.eq("_id", "d" + i), Updates.inc("value", 1000));
                }
                for (int i = 1; i < 500; i += 7) {
                    docs.deleteOne(Filters.eq("_id", "d" + i));
                }
                // A unique value moving from one document to another: replaying these records one by one on a
                // file that already holds the later state would clash; the replay must not.
                docs.updateOne(Filters.eq("_id", "d2"), Updates.set("unique", "moved"));
                docs.updateOne(Filters.eq("_id", "d5"), Updates.set("unique", "u2"));
                Document claimed = docs.findOneAndUpdate(Filters.and(Filters.eq("_id", "d9"), Filters.eq("group", 4)),
                        Updates.set("claimedBy", "w1"), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
                assertEquals("w1", claimed.getString("claimedBy"));
                docs.insertOne(new Document("_id", "removed-and-back").append("unique", "rb").append("value", 1));
                docs.deleteOne(Filters.eq("_id", "removed-and-back"));
                docs.insertOne(new Document("_id", "removed-and-back").append("unique", "rb").append("value", 2));

                Files.copy(file, copy);
                for (Path journal : Journal.files(file)) {
                    Files.copy(journal, copy.resolveSibling(journal.getFileName()));
                }
                List<Path> copied = Journal.files(copy);
                assertFalse(copied.isEmpty(), "the journal holds the writes since the last checkpoint");
                // a record torn by the kill: never answered, so the replay must stop there without failing
                Files.write(copied.getLast(), new byte[] {0, 0, 1, 0, 1, 2, 3}, StandardOpenOption.APPEND);
            }

            try (StoreServer reopened = new StoreServer(DurableStore.open(copy, NEVER))) {
                MongoCollection<Document> docs = reopened.client.getDatabase("journal").getCollection("docs");
                assertEquals("u-before", docs.find(Filters.eq("_id", "before")).first().getString("unique"));
                long expected = 1 + 500 - (500 + 6) / 7 + 1;
                assertEquals(expected, docs.countDocuments());
                for (int i = 0; i < 500; i++) {
                    Document d = docs.find(Filters.eq("_id", "d" + i)).first();
                    if (i % 7 == 1) {
                        assertNull(d, "d" + i + " was deleted");
                        continue;
                    }
                    assertEquals(i % 3 == 0 ? i + 1000 : i, d.getInteger("value"), "d" + i);
                    // found through the compound index too
                    assertEquals("d" + i, docs.find(Filters.and(Filters.eq("group", i % 5),
                            Filters.eq("value", d.getInteger("value")))).first().getString("_id"));
                }
                assertEquals("d5", docs.find(Filters.eq("unique", "u2")).first().getString("_id"));
                assertEquals("d2", docs.find(Filters.eq("unique", "moved")).first().getString("_id"));
                assertNull(docs.find(Filters.eq("unique", "u5")).first());
                assertEquals("w1", docs.find(Filters.eq("_id", "d9")).first().getString("claimedBy"));
                assertEquals(2, docs.find(Filters.eq("unique", "rb")).first().getInteger("value"));
                // the unique index still refuses a clash after the replay
                assertThrowsDuplicate(docs, new Document("_id", "clash").append("unique", "u2"));
            }
            try (StoreServer again = new StoreServer(DurableStore.open(copy, NEVER))) {
                MongoCollection<Document> docs = again.client.getDatabase("journal").getCollection("docs");
                assertEquals("d5", docs.find(Filters.eq("unique", "u2")).first().getString("_id"));
                assertEquals(1, Journal.files(copy).size(), "earlier journal files are deleted once checkpointed");
            }
        } finally {
            LocalStack.deleteRecursively(dir);
        }
    }

    private static void assertThrowsDuplicate(MongoCollection<Document> docs, Document document) {
        try {
            docs.insertOne(document);
        } catch (com.mongodb.MongoWriteException e) {
            assertEquals(11000, e.getError().getCode());
            return;
        }
        throw new AssertionError("a duplicate of a unique value was accepted after the replay");
    }
}

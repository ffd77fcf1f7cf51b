package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;

/**
 * The H2 file is written by checkpoints alone, each a snapshot taken between commands. H2 would otherwise
 * write it from inside whichever command finds more than its auto-commit buffer (19 MiB) of changes waiting, while
 * other commands change the documents it is serializing: under a burst at saturation (bench/run runpath, stop 34)
 * that threw a ConcurrentModificationException mid-write and H2 closed the store for good.
 */
class OnlyCheckpointsWriteTheFileTest {

    private static final long NEVER = 3_600_000;

    @Test
    void aBurstLargerThanH2sWriteBufferWaitsForTheCheckpoint() throws Exception {
        Path dir = Files.createTempDirectory("checkpoints-only");
        // No bound on what waits (UnsavedChangesBoundTest has one): H2's own auto-commit is what is under test.
        DurableStore store = DurableStore.open(dir.resolve("tollgate.mv"), NEVER, Long.MAX_VALUE);
        try (StoreServer server = new StoreServer(store)) {
            MongoCollection<Document> docs = server.client.getDatabase("burst").getCollection("docs");
            docs.createIndex(Indexes.ascending("group", "value")); // a structure change: checkpointed before answered
            long version = store.getMvStore().getCurrentVersion();

            String filler = "x".repeat(50_000);
            for (int i = 0; i < 1_000; i++) { // about 50 MB of changes, well past H2's 19 MiB buffer
                docs.insertOne(new Document("_id", "d" + i).append("group", i % 7).append("value", i)
                        .append("filler", filler));
            }
            for (int i = 0; i < 1_000; i += 2) {
                docs.updateOne(Filters.eq("_id", "d" + i), Updates.set("filler", filler + i));
            }

            assertEquals(version, store.getMvStore().getCurrentVersion(),
                    "no command wrote the file: every change waits for the next checkpoint (and is in the journal)");
            assertEquals(1_000, docs.countDocuments());
            assertEquals(143, docs.countDocuments(Filters.eq("group", 3)));
        }
    }
}

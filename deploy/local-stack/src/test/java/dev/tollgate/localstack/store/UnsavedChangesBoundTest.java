package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.Document;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;

/**
 * What may wait for a checkpoint is bounded: a bulk load from several connections, with no timed checkpoint at all,
 * makes commands wait for checkpoints written in full once more than the bound of changed pages waits, so no commit
 * grows past a few times the bound (seeding a million runs grew one to 120 MB, and H2 closed the store when its write
 * buffer would not fit the heap). Everything loaded is there after a reopen. And a store H2 closes after a failure
 * tells its owner, which stops the process instead of answering errors forever.
 */
class UnsavedChangesBoundTest {

    private static final long NEVER = 3_600_000;
    private static final long BOUND = 4 << 20;
    private static final int WRITERS = 4;
    private static final int BATCHES_PER_WRITER = 100;
    private static final int BATCH = 50;

    private Path dir;

    @BeforeEach
    void folder() throws Exception {
        dir = Files.createTempDirectory("unsaved-bound");
    }

    @AfterEach
    void removeFolder() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aBulkLoadWaitsForCheckpointsOnceTooMuchWaits() throws Exception {
        Path file = dir.resolve("tollgate.mv");
        int documents = WRITERS * BATCHES_PER_WRITER * BATCH;
        DurableStore store = DurableStore.open(file, NEVER, BOUND);
        try (StoreServer server = new StoreServer(store)) {
            MongoCollection<Document> docs = server.client.getDatabase("bulk").getCollection("docs");
            docs.createIndex(Indexes.ascending("group", "seq"));
            String filler = "y".repeat(1_500);
            AtomicInteger seq = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    writers.add(pool.submit(() -> {
                        for (int b = 0; b < BATCHES_PER_WRITER; b++) {
                            List<Document> batch = new ArrayList<>(BATCH);
                            for (int i = 0; i < BATCH; i++) {
                                int n = seq.getAndIncrement();
                                // random ids: every insert lands on its own leaf, as hashed run ids do
                                batch.add(new Document("_id", UUID.randomUUID().toString()).append("group", n % 13)
                                        .append("seq", n).append("filler", filler));
                            }
                            docs.insertMany(batch);
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : writers) {
                    writer.get(300, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            Document stats = server.client.getDatabase("bulk").runCommand(new Document("tollgateStats", 1));
            long largest = stats.get("largestCommitMemory", Number.class).longValue();
            assertTrue(stats.get("caughtUp", Number.class).longValue() >= 5,
                    "commands waited for checkpoints, with no timed one: " + stats.toJson());
            // 30 MB of documents, and H2's estimate of the changed pages (random ids: a leaf per insert) is ~200 MB
            assertTrue(largest <= 3 * BOUND, "no commit far past the bound: " + stats.toJson());
            assertTrue(store.getMvStore().getUnsavedMemory() <= 3 * BOUND, "nor what waits now: "
                    + store.getMvStore().getUnsavedMemory());
            assertEquals(documents, docs.countDocuments());
        }
        try (StoreServer reopened = new StoreServer(DurableStore.open(file, NEVER))) {
            MongoCollection<Document> docs = reopened.client.getDatabase("bulk").getCollection("docs");
            assertEquals(documents, docs.countDocuments());
            assertEquals(documents / 13 + (documents % 13 > 5 ? 1 : 0), docs.countDocuments(Filters.eq("group", 5)));
            assertEquals(1, docs.countDocuments(Filters.and(Filters.eq("group", 7), Filters.eq("seq", 7 + 13 * 500))));
        }
    }

    @Test
    void aStoreThatH2ClosesAfterAFailureTellsItsOwner() throws Exception {
        DurableStore store = DurableStore.open(dir.resolve("tollgate.mv"), NEVER);
        AtomicInteger told = new AtomicInteger();
        store.onFailure(told::incrementAndGet);
        assertThrows(MVStoreException.class, () -> store.getMvStore().panic(
                DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED, "a write failed (test)")));
        assertEquals(1, told.get());
        // What H2 does at the next operation after a failure (its close() of a failed store would wait forever).
        store.getMvStore().closeImmediately();
        store.close(); // with no checkpoint: the journal keeps what the file could not take
    }
}

package dev.tollgate.localstack.store;

import java.util.concurrent.TimeUnit;

import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Keeps the H2 file from filling with superseded pages. Every commit writes a new chunk (copy on write), and a
 * chunk whose pages are mostly superseded stays in the file while any page of it is live: a random update leaves one
 * live leaf behind, so the file grew by about 18 KB per commit. H2's own background thread, which rewrote such
 * chunks, is off here (its auto-commit would commit in the middle of a command), so the store does it in two ways:
 * <ul>
 *   <li>{@link #step()}, each second: while live data fills less than half of the chunks, rewrite a little (256 KB
 *       per step, each step in a pause of writes, at most 100 ms a second), so no command waits long. H2 rewrites
 *       only chunks older than its retention time (45 s), the window in which a power loss could still need them;</li>
 *   <li>{@link #compactFully(long)}, on request ({@code {tollgateCompact: 1}}): rewrite everything sparse and move
 *       the chunks together so the file shrinks, holding every command off meanwhile. For after a bulk load (the
 *       benchmark's history seeding writes in minutes the garbage that months of traffic would spread out, which
 *       the steps above would then spend many minutes of idle CPU on) or an operator reclaiming disk.</li>
 * </ul>
 */
final class FileCompaction {

    static final String COMMAND = "tollgateCompact";

    private static final Logger LOG = LoggerFactory.getLogger(FileCompaction.class);

    private static final int FILL_RATE_PERCENT = 50;
    private static final int BYTES_PER_STEP = 256 << 10;
    private static final long MILLIS_PER_SECOND = 100;
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long FORCED_STEP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final int FULL_FILL_RATE_PERCENT = 90;
    private static final int FULL_BYTES_PER_ROUND = 16 << 20;

    private final MVStore store;
    private final Checkpoints commits;
    private volatile long lastStep = System.nanoTime();

    FileCompaction(MVStore store, Checkpoints commits) {
        this.store = store;
        this.commits = commits;
    }

    /** One second's share of background rewriting (called each second). */
    void step() {
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MILLIS_PER_SECOND);
            boolean rewrote = true;
            while (rewrote && store.getFileStore().getChunksFillRate() < FILL_RATE_PERCENT
                    && System.nanoTime() < deadline) {
                if (!writesQuiet()) {
                    Thread.sleep(2);
                    continue;
                }
                boolean[] step = new boolean[1];
                commits.exclusively(() -> step[0] = store.compact(FILL_RATE_PERCENT, BYTES_PER_STEP));
                rewrote = step[0];
                lastStep = System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("store compaction failed; it is retried in a second", e);
        }
    }

    // A step waits for a pause in writes, so it seldom holds up a command; under writes without pauses it still
    // takes a step every few seconds, so the file cannot grow without bound.
    private boolean writesQuiet() {
        long now = System.nanoTime();
        return now - commits.lastWriteEndedAt() > QUIET_NANOS || now - lastStep > FORCED_STEP_NANOS;
    }

    /**
     * Rewrites every sparse chunk and moves live chunks to the front of the file, which then shrinks; commands wait
     * meanwhile. Answers the file's size before and after, and how long it took.
     */
    Document compactFully(long maxMillis) {
        long before = store.getFileStore().size();
        long t0 = System.nanoTime();
        commits.exclusively(() -> {
            int retention = store.getRetentionTime();
            int versionsToKeep = store.getVersionsToKeep();
            try {
                // No command runs meanwhile (and no cursor reads the file lazily: results are materialised), so
                // no older version or chunk needs keeping: rewrite every sparse chunk, then move the live ones to
                // the front until the file stops shrinking (H2's compactFile moves 16 MB once and stops). Moved
                // chunks are synced before anything is overwritten.
                store.setRetentionTime(0);
                store.setVersionsToKeep(0);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
                // Rewriting leaves rewrites their parents too, which leaves garbage elsewhere, so the fill rate can
                // hover below the target: the rounds are bounded by twice the live data (each round rewrites up to
                // 16 MB of it), enough to take a file from mostly garbage to mostly live.
                long liveBytes = store.getFileStore().size() * store.getFileStore().getChunksFillRate() / 100;
                long rounds = 8 + 2 * liveBytes / FULL_BYTES_PER_ROUND;
                while (rounds-- > 0 && System.nanoTime() < deadline
                        && store.compact(FULL_FILL_RATE_PERCENT, FULL_BYTES_PER_ROUND)) {
                    store.commit();
                }
                store.commit();
                RandomAccessStore file = (RandomAccessStore) store.getFileStore();
                long size;
                do {
                    size = file.size();
                    store.sync();
                    file.compactMoveChunks(100, Long.MAX_VALUE, store);
                } while (file.size() < size && System.nanoTime() < deadline);
            } finally {
                store.setRetentionTime(retention);
                store.setVersionsToKeep(versionsToKeep);
            }
        });
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long after = store.getFileStore().size();
        LOG.info("store compacted from {} MiB to {} MiB in {} ms", before >> 20, after >> 20, millis);
        return new Document("fileBytesBefore", before).append("fileBytesAfter", after)
                .append("chunksFillRate", store.getFileStore().getChunksFillRate()).append("millis", millis)
                .append("ok", 1.0);
    }

    /** The share of the file's chunks that live data fills, in percent. */
    int chunksFillRate() {
        return store.getFileStore().getChunksFillRate();
    }
}

package dev.tollgate.localstack.store;

import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a command's changes durable before the command is answered, and writes them into the H2 file now and then.
 *
 * <p>A command's document changes go to the {@link Journal} as it makes them; once the command is done, the journal
 * is written up to its last record (one {@code write} for every command that finished meanwhile) and the command is
 * answered. The H2 file gets them at the next checkpoint (every {@code tollgate.store.checkpoint-ms}, 250 ms by
 * default): a commit of every page changed since the last one, after which the journal starts a new file. Writing
 * each page once per checkpoint instead of once per command is what this buys: a commit rewrites every page it changed,
 * and with ids spread over the key space an insert changes one leaf per map, so a commit per command (the store's
 * earlier design) wrote several pages per document and was most of the store's CPU under load.
 *
 * <p>A command changes several H2 maps (documents, each index), so a checkpoint must never fall inside a command:
 * the file would hold a document without its index entry. Commands therefore run on the shared side of a lock and a
 * checkpoint (or any maintenance) takes the exclusive side, but only while it starts the next journal file and takes
 * the commit's snapshot of every map; the pages are serialized and written after that, while commands go on
 * ({@link WritePipeline}: a commit writes the maps' roots as they were when it was taken, and later changes make new
 * pages). The earlier journal files are deleted only once that commit is written. Commands that change structure
 * (create a collection or an index, drop one) are not journaled as documents; they are answered after a checkpoint
 * written in full instead.
 */
final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    static final String JOURNAL_META = "tollgate.journal";
    static final String JOURNAL_SEQUENCE = "sequence";

    private final MVStore store;
    private final Journal journal;
    private final DocumentChanges changes;
    private final WritePipeline pipeline;
    private final long maxUnsavedBytes;
    private final ReentrantReadWriteLock commandsVersusCheckpoint = new ReentrantReadWriteLock();
    private volatile long lastWriteEndedAt = System.nanoTime();
    private final LongAdder checkpointCount = new LongAdder();
    private final LongAdder checkpointNanos = new LongAdder();
    private final LongAdder writtenBehindNanos = new LongAdder();
    private final LongAdder writtenBehindCount = new LongAdder();
    private final LongAdder caughtUp = new LongAdder();
    private volatile long longestCheckpointNanos;
    private volatile long largestCommitMemory;

    /**
     * {@code maxUnsavedBytes}: how much changed page memory may wait for the next checkpoint before commands wait for
     * one written in full ({@link #catchUp()}).
     */
    Checkpoints(MVStore store, Journal journal, DocumentChanges changes, WritePipeline pipeline, long maxUnsavedBytes) {
        this.store = store;
        this.journal = journal;
        this.changes = changes;
        this.pipeline = pipeline;
        this.maxUnsavedBytes = maxUnsavedBytes;
    }

    /** Runs a command that changes documents, and returns once what it changed is in the journal. */
    <T> T write(Supplier<T> command) {
        long structure = changes.structureVersion();
        T result = run(command);
        if (changes.structureVersion() != structure) {
            checkpoint(); // a collection or index appeared: the file must have it before the command is answered
        } else {
            journal.writeThrough(journal.appendedPosition());
        }
        return result;
    }

    /** Runs a command that may change structure, and returns once a checkpoint has put it in the file. */
    <T> T writeAndCheckpoint(Supplier<T> command) {
        T result = run(command);
        checkpoint();
        return result;
    }

    private <T> T run(Supplier<T> command) {
        if (store.getUnsavedMemory() > maxUnsavedBytes) {
            catchUp();
        }
        commandsVersusCheckpoint.readLock().lock();
        try {
            return command.get();
        } finally {
            commandsVersusCheckpoint.readLock().unlock();
            lastWriteEndedAt = System.nanoTime();
        }
    }

    /**
     * Written-behind checkpoints let commands go on while a commit is written, so nothing slows commands that change
     * more than the file takes in: what waits for the next commit grows while the last one is written, which makes
     * the next write longer still. Seeding a million runs grew one commit to 120 MB of pages, whose 180 MB write
     * buffer a 1 GB heap could not hold, and H2 closed the store. Past the bound, the command that finds it waits
     * for a checkpoint written in full (and the others for that checkpoint's lock): the rate of change falls to what
     * the file takes in. The run path changes a few MB between checkpoints and never meets it.
     */
    private void catchUp() {
        long sequence = takeCommit(true, true);
        if (sequence >= 0) {
            caughtUp.increment();
            journal.deleteFilesBefore(sequence);
        }
    }

    /** When the last command that may change data finished (System.nanoTime). */
    long lastWriteEndedAt() {
        return lastWriteEndedAt;
    }

    /** Checkpoints so far. */
    long checkpoints() {
        return checkpointCount.sum();
    }

    /** Time commands were held off by checkpoints, in total and the longest once (milliseconds). */
    double checkpointMillis() {
        return checkpointNanos.sum() / 1e6;
    }

    /** Time background checkpoints spent writing after commands went on (milliseconds, in total). */
    double writtenBehindMillis() {
        return writtenBehindNanos.sum() / 1e6;
    }

    /** Checkpoints written while commands went on (0 if the store could not install its {@link WritePipeline}). */
    long writtenBehind() {
        return writtenBehindCount.sum();
    }

    double longestCheckpointMillis() {
        return longestCheckpointNanos / 1e6;
    }

    /** Checkpoints that commands waited for because too much waited to be written ({@link #catchUp()}). */
    long caughtUp() {
        return caughtUp.sum();
    }

    /** The most changed page memory one checkpoint has committed (H2's estimate, bytes). */
    long largestCommitMemory() {
        return largestCommitMemory;
    }

    /** Journal file writes so far: commands per write is how much the grouping saves. */
    long journalWrites() {
        return journal.writes();
    }

    /** Runs something that must not overlap a command or a checkpoint (maintenance), then commits it. */
    void exclusively(Runnable action) {
        commandsVersusCheckpoint.writeLock().lock();
        try {
            pipeline.awaitWritten(); // maintenance works on the file: nothing may still be writing to it
            action.run();
            store.commit();
        } finally {
            commandsVersusCheckpoint.writeLock().unlock();
        }
    }

    /**
     * Commits everything to the H2 file and starts the next journal file, then deletes the earlier ones: their
     * records are all in the file now. The journal's sequence is committed with the data, so a restart replays
     * exactly the files the file does not hold yet. Returns once the commit is written (commands wait throughout).
     */
    void checkpoint() {
        long sequence = takeCommit(true, false);
        if (sequence >= 0) {
            journal.deleteFilesBefore(sequence);
        }
    }

    /**
     * The checkpoint in the background: commands wait only while it starts the next journal file and takes the
     * commit, and go on while the commit is written; the earlier journal files are deleted after that. Nothing waits
     * for it.
     */
    void checkpointQuietly() {
        try {
            long sequence = takeCommit(false, false);
            if (sequence < 0) {
                return;
            }
            if (pipeline.installed()) {
                long taken = System.nanoTime();
                pipeline.awaitWritten();
                writtenBehindNanos.add(System.nanoTime() - taken);
                writtenBehindCount.increment();
            }
            journal.deleteFilesBefore(sequence);
        } catch (RuntimeException e) {
            LOG.warn("store checkpoint failed; the journal keeps every change, retried in a moment", e);
        }
    }

    /**
     * With commands held off: starts the next journal file and commits, recording that file's number with the data,
     * and answers that number (-1 if there was nothing to commit). The commit is written in the background when the
     * pipeline is installed, unless {@code written}: then it is written before commands go on. {@code onlyOverBound}:
     * only if more than the bound still waits (another command may have caught up meanwhile).
     */
    private long takeCommit(boolean written, boolean onlyOverBound) {
        commandsVersusCheckpoint.writeLock().lock();
        try {
            if (journal.fileBytes() == 0 && !store.hasUnsavedChanges()
                    || onlyOverBound && store.getUnsavedMemory() <= maxUnsavedBytes) {
                return -1;
            }
            largestCommitMemory = Math.max(largestCommitMemory, store.getUnsavedMemory());
            long start = System.nanoTime();
            journal.rotate();
            MVMap<String, Long> meta = store.openMap(JOURNAL_META);
            meta.put(JOURNAL_SEQUENCE, journal.sequence());
            // tryCommit gives up only when another store operation holds H2's store lock; every other one runs
            // under this lock's exclusive side, so that does not happen, but a commit is what a checkpoint must make.
            if (!pipeline.installed() || store.tryCommit() < 0 && store.hasUnsavedChanges()) {
                store.commit();
            }
            if (written) {
                pipeline.awaitWritten();
            }
            long held = System.nanoTime() - start;
            checkpointCount.increment();
            checkpointNanos.add(held);
            longestCheckpointNanos = Math.max(longestCheckpointNanos, held);
            return journal.sequence();
        } finally {
            commandsVersusCheckpoint.writeLock().unlock();
        }
    }
}

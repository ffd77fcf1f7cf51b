package dev.tollgate.localstack.store;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.h2.mvstore.MVStore;

/**
 * Makes a command's changes durable before the command is answered, committing many commands' changes at once.
 *
 * <p>A command changes several H2 maps (documents, each index, sizes), so a commit must never fall inside a command:
 * it would store the document without its index entry, and a crash right then would leave that half in the file.
 * Commands therefore run under the shared side of a lock and a commit takes the exclusive side. After its changes,
 * a command waits for a commit that started after it finished; whoever finds no commit running starts one, and it
 * covers every command that finished before it, which is the group commit.
 *
 * <p>A commit writes the changed pages to the file (the operating system's cache), which survives the process being
 * killed; it does not force them to the disk, so a power loss may lose the last moments (H2 then opens the last
 * complete commit).
 */
final class GroupCommit {

    private static final long POLL_NANOS = 20_000;
    private static final long MAX_POLLING_NANOS = 20_000_000;

    private final MVStore store;
    private final ReentrantReadWriteLock commandsVersusCommit = new ReentrantReadWriteLock();
    private final Object monitor = new Object();
    private long started;
    private long finished;
    private boolean committing;
    private volatile long lastWriteEndedAt = System.nanoTime();
    private boolean committerHoldsOrWaitsForLock; // the running commit has not yet left its exclusive section
    private final java.util.concurrent.atomic.LongAdder commitCount = new java.util.concurrent.atomic.LongAdder();

    GroupCommit(MVStore store) {
        this.store = store;
    }

    /** Runs a command that may change data, and returns once what it changed is committed. */
    <T> T write(Supplier<T> command) {
        T result;
        commandsVersusCommit.readLock().lock();
        try {
            result = command.get();
        } finally {
            commandsVersusCommit.readLock().unlock();
            lastWriteEndedAt = System.nanoTime();
        }
        if (store.hasUnsavedChanges()) {
            awaitCommitStartedAfterNow();
        }
        return result;
    }

    /** When the last command that may change data finished (System.nanoTime). */
    long lastWriteEndedAt() {
        return lastWriteEndedAt;
    }

    /** Commits so far: writes per commit is how much the grouping saves. */
    long commits() {
        return commitCount.sum();
    }

    /** Runs something that must not overlap a command or a commit (maintenance), then commits it. */
    void exclusively(Runnable action) {
        commandsVersusCommit.writeLock().lock();
        try {
            action.run();
            store.commit();
        } finally {
            commandsVersusCommit.writeLock().unlock();
        }
    }

    private void awaitCommitStartedAfterNow() {
        long needed;
        synchronized (monitor) {
            // This command has finished. A running commit that has not left its exclusive section cannot have
            // entered it before this command started (the command held the shared side), so it covers this
            // command; otherwise the next commit must.
            needed = committing && committerHoldsOrWaitsForLock ? started : started + 1;
        }
        while (true) {
            long number;
            synchronized (monitor) {
                while (committing && finished < needed) {
                    waitQuietly();
                }
                if (finished >= needed) {
                    return;
                }
                committing = true;
                committerHoldsOrWaitsForLock = true;
                number = ++started;
            }
            boolean committed = false;
            try {
                lockOutCommands();
                try {
                    store.commit();
                } finally {
                    synchronized (monitor) {
                        committerHoldsOrWaitsForLock = false;
                    }
                    commandsVersusCommit.writeLock().unlock();
                }
                commitCount.increment();
                committed = true;
            } finally {
                synchronized (monitor) {
                    committing = false;
                    if (committed) {
                        finished = number;
                    }
                    monitor.notifyAll();
                }
            }
        }
    }

    /**
     * Takes the exclusive side once the commands in progress are done. A plain {@code lock()} would queue, and a
     * queued writer stops new commands from taking the shared side, so commands that finish a moment later would
     * need the next commit; polling with {@code tryLock()} lets them finish into this one. Commands cannot keep it
     * out for long: each one that finishes waits for this commit before its connection sends another.
     */
    private void lockOutCommands() {
        long giveUpPollingAt = System.nanoTime() + MAX_POLLING_NANOS;
        while (!commandsVersusCommit.writeLock().tryLock()) {
            if (System.nanoTime() > giveUpPollingAt) {
                commandsVersusCommit.writeLock().lock();
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private void waitQuietly() {
        try {
            monitor.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a commit", e);
        }
    }
}

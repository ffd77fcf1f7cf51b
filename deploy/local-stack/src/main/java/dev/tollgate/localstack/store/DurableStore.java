package dev.tollgate.localstack.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * The embedded MongoDB-compatible store: mongo-java-server's H2 backend, extended where it falls short of MongoDB in
 * what Tollgate relies on:
 * <ul>
 *   <li>a write is answered only once it is committed to the file ({@link GroupCommit}); the library leaves H2's
 *       one-second auto-commit on, so a killed store lost the last second of acknowledged writes;</li>
 *   <li>queries use indexes like MongoDB's planner ({@link QueryPlanner}, {@link SecondaryIndex}), so what an
 *       operation reads does not grow with history;</li>
 *   <li>{@code {tollgateStats: 1}} answers the documents each collection has examined ({@link ExaminedDocuments}).</li>
 * </ul>
 * The file layout is the library's, so data folders of earlier versions open; their non-unique indexes, which the
 * library never built, are built once at the first start.
 */
public final class DurableStore extends H2Backend {

    private static final Logger LOG = LoggerFactory.getLogger(DurableStore.class);

    // Commands that only read: answered without waiting for a commit.
    private static final Set<String> READ_ONLY = Set.of("find", "getmore", "count", "distinct", "aggregate",
            "listcollections", "listindexes", "listdatabases", "ping", "ismaster", "hello", "buildinfo",
            "whatsmyuri", "serverstatus", "killcursors", "endsessions", "getlasterror", "dbstats", "collstats",
            "getparameter", "getlog", "hostinfo", "connectionstatus", "getcmdlineopts", "validate",
            ExaminedDocuments.COMMAND.toLowerCase());

    // H2 rewrites live pages out of mostly-empty chunks in its background thread, which is off here (its
    // auto-commit would commit in the middle of a command), so the store does it itself between commands.
    private static final int FILL_RATE_PERCENT = 50;
    private static final int COMPACT_BYTES_PER_STEP = 256 << 10;
    private static final long COMPACT_MILLIS_PER_SECOND = 100;
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long FORCED_STEP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private volatile long lastCompactionStep = System.nanoTime();

    // H2's page cache (its default is 16 MB): the working set of a platform with a large history (recent runs,
    // index pages) fits, so the run path reads no page back from the file.
    private static final int CACHE_MB = 128;

    // A commit rewrites every page it changed: with ids spread over the key space (hashed run ids, ObjectIds), an
    // insert changes one leaf per map anywhere in the tree. H2's 16 KB pages made that write (and the garbage
    // compaction must then rewrite) four times what 4 KB pages do.
    private static final int PAGE_BYTES = 4 << 10;

    private final MVStore mvStore;
    private final GroupCommit commits;
    private final ScheduledExecutorService maintenance;

    private DurableStore(MVStore mvStore) {
        super(mvStore, Clock.systemUTC());
        this.mvStore = mvStore;
        this.commits = new GroupCommit(mvStore);
        if (mvStore.getFileStore() != null) {
            maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "store-maintenance");
                thread.setDaemon(true);
                return thread;
            });
            maintenance.scheduleWithFixedDelay(this::compact, 1, 1, TimeUnit.SECONDS);
        } else {
            maintenance = null;
        }
    }

    /** A store kept in one H2 file, committed before each write is answered. */
    public static DurableStore open(Path file) {
        LOG.info("opening the store in '{}'", file);
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().cacheSize(CACHE_MB)
                .pageSplitSize(PAGE_BYTES).open();
        return new DurableStore(store);
    }

    /** A store in memory, for tests: nothing survives it, and nothing waits for a commit. */
    public static DurableStore inMemory() {
        return new DurableStore(new MVStore.Builder().open());
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        // Called from the library's constructor (for databases already in the file) before this class's fields are
        // set, hence the lazily created collaborators below.
        return new IndexedDatabase(databaseName, getMvStore(), getCursorRegistry(), examined());
    }

    private ExaminedDocuments examined; // no initializer: the library's constructor may have set it already

    private synchronized ExaminedDocuments examined() {
        if (examined == null) {
            examined = new ExaminedDocuments();
        }
        return examined;
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        if (command.equalsIgnoreCase(ExaminedDocuments.COMMAND)) {
            return examined().stats(databaseName).append("commits", commits.commits());
        }
        if (mvStore.getFileStore() == null || READ_ONLY.contains(command.toLowerCase())) {
            return super.handleCommand(channel, databaseName, command, query);
        }
        return commits.write(() -> super.handleCommand(channel, databaseName, command, query));
    }

    /**
     * Every commit writes a new chunk (copy on write), and a chunk whose pages are mostly superseded stays in the
     * file while any page of it is live: a random update leaves one live leaf behind, so the file grew by about
     * 18 KB per commit. H2's own background thread, which rewrote such chunks, is off here, so the store does it:
     * each second, while live data fills less than half of the chunks, it rewrites a little (256 KB per step, each
     * step in a pause of writes, at most 100 ms a second), so no command waits long. H2 rewrites only chunks older than
     * its retention time (45 s), the window in which a power loss could still need them.
     */
    private void compact() {
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMPACT_MILLIS_PER_SECOND);
            boolean rewrote = true;
            while (rewrote && mvStore.getFileStore().getChunksFillRate() < FILL_RATE_PERCENT
                    && System.nanoTime() < deadline) {
                if (!writesQuiet()) {
                    Thread.sleep(2);
                    continue;
                }
                boolean[] step = new boolean[1];
                commits.exclusively(() -> step[0] = mvStore.compact(FILL_RATE_PERCENT, COMPACT_BYTES_PER_STEP));
                rewrote = step[0];
                lastCompactionStep = System.nanoTime();
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
        return now - commits.lastWriteEndedAt() > QUIET_NANOS || now - lastCompactionStep > FORCED_STEP_NANOS;
    }

    @Override
    public void close() {
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        super.close();
    }
}

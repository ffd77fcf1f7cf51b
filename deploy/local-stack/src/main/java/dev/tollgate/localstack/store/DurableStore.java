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
 *   <li>{@code {tollgateStats: 1}} answers the documents each collection has examined ({@link ExaminedDocuments});</li>
 *   <li>superseded pages are rewritten in the background and on request ({@code {tollgateCompact: 1}},
 *       {@link FileCompaction}), since H2's own background writer is off.</li>
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

    // H2's page cache (its default is 16 MB): the working set of a platform with a large history (recent runs, the
    // index pages an insert with a hashed id lands on) fits, so the run path seldom reads a page back from the file
    // (tollgateStats answers the hit ratio). deploy/local/up gives the local stack a 1 GB heap for it. Beside
    // 1,000,000 runs, reads stay flat; inserts cost 2-4x an empty store's (0.1 -> 0.3-0.4 ms, bench/run store),
    // which is the copy-on-write commit's deeper path, not the cache.
    private static final int CACHE_MB = Integer.getInteger("tollgate.store.cache-mb", 256);

    // A commit rewrites every page it changed: with ids spread over the key space (hashed run ids, ObjectIds), an
    // insert changes one leaf per map anywhere in the tree. H2's 16 KB pages made that write (and the garbage
    // compaction must then rewrite) four times what 4 KB pages do.
    private static final int PAGE_BYTES = 4 << 10;

    private final MVStore mvStore;
    private final GroupCommit commits;
    private final FileCompaction compaction;
    private final ScheduledExecutorService maintenance;

    private DurableStore(MVStore mvStore) {
        super(mvStore, Clock.systemUTC());
        this.mvStore = mvStore;
        this.commits = new GroupCommit(mvStore);
        this.compaction = new FileCompaction(mvStore, commits);
        if (mvStore.getFileStore() != null) {
            maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "store-maintenance");
                thread.setDaemon(true);
                return thread;
            });
            maintenance.scheduleWithFixedDelay(compaction::step, 1, 1, TimeUnit.SECONDS);
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
        boolean inFile = mvStore.getFileStore() != null;
        if (command.equalsIgnoreCase(ExaminedDocuments.COMMAND)) {
            Document stats = examined().stats(databaseName).append("commits", commits.commits());
            return inFile ? stats.append("chunksFillRate", compaction.chunksFillRate())
                    .append("cacheHitRatio", mvStore.getFileStore().getCacheHitRatio()) : stats;
        }
        if (command.equalsIgnoreCase(FileCompaction.COMMAND)) {
            // {tollgateCompact: 1, maxSeconds: n}: commands wait while it runs, so it is bounded (15 minutes by
            // default); what is left is left for the next call or the background steps.
            long maxSeconds = query.get("maxSeconds") instanceof Number n ? n.longValue() : 900;
            return inFile ? compaction.compactFully(TimeUnit.SECONDS.toMillis(maxSeconds))
                    : new Document("fileBytesBefore", 0L).append("fileBytesAfter", 0L).append("ok", 1.0);
        }
        if (!inFile || READ_ONLY.contains(command.toLowerCase())) {
            return super.handleCommand(channel, databaseName, command, query);
        }
        return commits.write(() -> super.handleCommand(channel, databaseName, command, query));
    }

    @Override
    public void close() {
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        super.close();
    }
}

package dev.tollgate.localstack.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The embedded MongoDB-compatible store: mongo-java-server's H2 backend, extended where it falls short of MongoDB in
 * what Tollgate relies on:
 * <ul>
 *   <li>a write is answered only once it is in the store's journal ({@link Journal}), which the H2 file takes in
 *       at checkpoints ({@link Checkpoints}); the library leaves H2's one-second auto-commit on, so a killed store
 *       lost the last second of acknowledged writes;</li>
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

    // How often the H2 file takes in what the journal holds. Longer: fewer page writes (a page changed many times in
    // the interval is written once) but a longer journal to replay after a kill. Commands wait only while a
    // checkpoint takes its snapshot, not while it is written (WritePipeline); when they waited throughout, a
    // checkpoint a second held them about 106 ms each time at 200 runs/s and four a second 39-53 ms each, for the
    // same CPU (docs/benchmarks.md, stop 36).
    private static final long CHECKPOINT_MILLIS = Long.getLong("tollgate.store.checkpoint-ms", 250);

    // How much changed page memory (H2's estimate) may wait for a checkpoint before commands wait for one written in
    // full (Checkpoints.catchUp): a bound on one commit's write buffer, which H2 grows by half again each time it
    // fills. At 200 runs/s a checkpoint takes in about 1-2 MB; only bulk loads reach the bound.
    private static final long MAX_UNSAVED_BYTES = Long.getLong("tollgate.store.max-unsaved-mb", 32) << 20;

    // Commands that change documents only: their changes are journaled. Any other write command (creating or dropping
    // a collection or an index, renaming, dropping a database) is answered after a checkpoint.
    private static final Set<String> JOURNALED = Set.of("insert", "update", "delete", "findandmodify");

    private final MVStore mvStore;
    private final WritePipeline pipeline;
    private final Journal journal;
    private final Checkpoints checkpoints;
    private final FileCompaction compaction;
    private final ScheduledExecutorService maintenance;

    private volatile Runnable onFailure = () -> { };

    private DurableStore(MVStore mvStore, Path file, long checkpointMillis, long maxUnsavedBytes) {
        super(mvStore, Clock.systemUTC());
        this.mvStore = mvStore;
        if (file == null) {
            pipeline = null;
            journal = null;
            checkpoints = null;
            compaction = null;
            maintenance = null;
            return;
        }
        // Before the replay: a replay's changes are put in through commands, and may be committed like any.
        pipeline = WritePipeline.install(mvStore);
        long replayFrom = journalSequence();
        long last = replay(file, replayFrom);
        journal = Journal.start(file, Math.max(replayFrom, last) + 1);
        changes().attach(journal);
        checkpoints = new Checkpoints(mvStore, journal, changes(), pipeline, maxUnsavedBytes);
        checkpoints.checkpoint(); // the replayed changes into the file, and the journal's new start with them
        journal.deleteEarlierFiles();
        compaction = new FileCompaction(mvStore, checkpoints);
        maintenance = Executors.newScheduledThreadPool(2, r -> {
            Thread thread = new Thread(r, "store-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        maintenance.scheduleWithFixedDelay(compaction::step, 1, 1, TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(checkpoints::checkpointQuietly, checkpointMillis, checkpointMillis,
                TimeUnit.MILLISECONDS);
    }

    /** A store kept in one H2 file and its journal, each write in the journal before it is answered. */
    public static DurableStore open(Path file) {
        return open(file, CHECKPOINT_MILLIS);
    }

    /** The same, with checkpoints every {@code checkpointMillis} instead of the configured interval. */
    static DurableStore open(Path file, long checkpointMillis) {
        return open(file, checkpointMillis, MAX_UNSAVED_BYTES);
    }

    /** The same, with a bound on what may wait for a checkpoint instead of the configured one. */
    static DurableStore open(Path file, long checkpointMillis, long maxUnsavedBytes) {
        LOG.info("opening the store in '{}'", file);
        // Only a checkpoint may write the file: it holds every command off while it does. autoCommitDisabled()
        // stops H2's background writer but not its other auto-commit: once more than autoCommitBufferSize (19 MiB by
        // default) of changes wait, the command making the next change writes them itself, while other commands
        // change documents H2 is serializing. Under a burst at saturation that threw a
        // ConcurrentModificationException mid-write, and H2 closed the store for good. A buffer size of 0 turns it
        // off; a checkpoint every 250 ms bounds what waits.
        DurableStore[] opened = new DurableStore[1];
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().autoCommitBufferSize(0)
                .cacheSize(CACHE_MB).pageSplitSize(PAGE_BYTES)
                .backgroundExceptionHandler((thread, e) -> failed(opened[0], e)).open();
        opened[0] = new DurableStore(store, file, checkpointMillis, maxUnsavedBytes);
        return opened[0];
    }

    /** A store in memory, for tests: nothing survives it, and nothing waits for a commit. */
    public static DurableStore inMemory() {
        return new DurableStore(new MVStore.Builder().open(), null, 0, Long.MAX_VALUE);
    }

    /**
     * What to do once H2 has closed the store after a failure it cannot recover from (a failed write of the file,
     * say). Every command answers an error from then on; the journal holds every acknowledged change, and a new
     * start replays it, so the process owning the store should stop rather than stay up with a closed store.
     */
    public void onFailure(Runnable action) {
        onFailure = action;
    }

    // H2 calls this as it closes the store after a failure (MVStore.panic), on the thread that failed.
    private static void failed(DurableStore store, Throwable e) {
        LOG.error("the store failed and H2 closed it; every acknowledged change is in the journal and is replayed "
                + "at the next start", e);
        if (store != null) {
            store.onFailure.run();
        }
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        // Called from the library's constructor (for databases already in the file) before this class's fields are
        // set, hence the lazily created collaborators below.
        return new IndexedDatabase(databaseName, getMvStore(), getCursorRegistry(), examined(), changes());
    }

    private ExaminedDocuments examined; // no initializer: the library's constructor may have set it already
    private DocumentChanges changes; // likewise

    private synchronized ExaminedDocuments examined() {
        if (examined == null) {
            examined = new ExaminedDocuments();
        }
        return examined;
    }

    private synchronized DocumentChanges changes() {
        if (changes == null) {
            changes = new DocumentChanges();
        }
        return changes;
    }

    private long journalSequence() {
        if (!mvStore.hasMap(Checkpoints.JOURNAL_META)) {
            return 0; // a folder from before the journal
        }
        Object sequence = mvStore.openMap(Checkpoints.JOURNAL_META).get(Checkpoints.JOURNAL_SEQUENCE);
        return sequence instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Puts back what the journal holds beyond the file's last checkpoint (a kill, not a clean stop), and answers the
     * last journal file's number. Only each document's last record counts: every journaled document is removed,
     * then the last states are inserted. Those states were all true at the same moment (the end of the journal), so
     * they cannot clash with each other or with the documents the journal does not name, whatever part of the
     * journal the file already held.
     */
    private long replay(Path file, long fromSequence) {
        Map<String, Journal.Change> lastChange = new LinkedHashMap<>();
        long lastSequence = fromSequence;
        int records = 0;
        for (Path journalFile : Journal.files(file)) {
            long sequence = Journal.sequenceOf(file, journalFile);
            lastSequence = Math.max(lastSequence, sequence);
            if (sequence < fromSequence) {
                continue;
            }
            for (Journal.Change change : Journal.read(journalFile)) {
                String key = change.database() + '\u0000' + change.collection() + '\u0000'
                        + Base64.getEncoder().encodeToString(BsonTuples.encode(new Document("_id", change.document().get("_id"))));
                lastChange.remove(key);
                lastChange.put(key, change);
                records++;
            }
        }
        if (lastChange.isEmpty()) {
            return lastSequence;
        }
        EmbeddedChannel channel = new EmbeddedChannel();
        for (Journal.Change change : lastChange.values()) {
            Document delete = new Document("q", new Document("_id", change.document().get("_id"))).append("limit", 1);
            answerOrFail(super.handleCommand(channel, change.database(), "delete",
                    new Document("delete", change.collection()).append("deletes", List.of(delete))));
        }
        Map<List<String>, List<Document>> inserts = new LinkedHashMap<>();
        for (Journal.Change change : lastChange.values()) {
            if (change.kind() == Journal.PUT) {
                inserts.computeIfAbsent(List.of(change.database(), change.collection()), k -> new ArrayList<>())
                        .add(change.document());
            }
        }
        inserts.forEach((target, documents) -> answerOrFail(super.handleCommand(channel, target.get(0), "insert",
                new Document("insert", target.get(1)).append("documents", documents).append("ordered", true))));
        LOG.info("replayed {} journal records ({} documents) written after the last checkpoint", records,
                lastChange.size());
        return lastSequence;
    }

    private static void answerOrFail(Document answer) {
        if (answer.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) {
            throw new IllegalStateException("replaying the store's journal failed: " + errors);
        }
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        boolean inFile = checkpoints != null;
        if (command.equalsIgnoreCase(ExaminedDocuments.COMMAND)) {
            Document stats = examined().stats(databaseName);
            return inFile ? stats.append("commits", checkpoints.checkpoints())
                    .append("journalWrites", checkpoints.journalWrites())
                    .append("checkpointMillis", checkpoints.checkpointMillis())
                    .append("longestCheckpointMillis", checkpoints.longestCheckpointMillis())
                    .append("writtenBehind", checkpoints.writtenBehind())
                    .append("writtenBehindMillis", checkpoints.writtenBehindMillis())
                    .append("caughtUp", checkpoints.caughtUp())
                    .append("largestCommitMemory", checkpoints.largestCommitMemory())
                    .append("chunksFillRate", compaction.chunksFillRate())
                    .append("cacheHitRatio", mvStore.getFileStore().getCacheHitRatio()) : stats;
        }
        if (command.equalsIgnoreCase(FileCompaction.COMMAND)) {
            // {tollgateCompact: 1, maxSeconds: n}: commands wait while it runs, so it is bounded (15 minutes by
            // default); what is left is left for the next call or the background steps.
            long maxSeconds = query.get("maxSeconds") instanceof Number n ? n.longValue() : 900;
            if (inFile) {
                checkpoints.checkpoint(); // the journal into the file first, so no checkpoint grows it right after
            }
            return inFile ? compaction.compactFully(TimeUnit.SECONDS.toMillis(maxSeconds))
                    : new Document("fileBytesBefore", 0L).append("fileBytesAfter", 0L).append("ok", 1.0);
        }
        if (!inFile || READ_ONLY.contains(command.toLowerCase())) {
            return super.handleCommand(channel, databaseName, command, query);
        }
        if (JOURNALED.contains(command.toLowerCase())) {
            return checkpoints.write(() -> super.handleCommand(channel, databaseName, command, query));
        }
        return checkpoints.writeAndCheckpoint(() -> super.handleCommand(channel, databaseName, command, query));
    }

    @Override
    public void close() {
        if (maintenance != null) {
            maintenance.shutdownNow();
            try {
                maintenance.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!mvStore.isClosed()) { // closed: H2 failed, and the journal keeps what the file could not take
                checkpoints.checkpoint();
            }
            journal.close();
        }
        super.close();
        if (pipeline != null) {
            pipeline.close();
        }
    }
}

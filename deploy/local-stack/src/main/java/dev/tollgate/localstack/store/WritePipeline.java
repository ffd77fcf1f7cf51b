package dev.tollgate.localstack.store;

import java.lang.reflect.Field;
import java.util.concurrent.ThreadPoolExecutor;

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2's own pipeline for writing a commit after it was taken: a commit takes each map's root as it is (a snapshot; the
 * maps are copy-on-write, so later changes make new pages and leave the snapshot's alone), then serializes and writes
 * those pages. With the pipeline, {@link MVStore#tryCommit()} takes the snapshot and hands the serializing and
 * writing to two single-thread executors, so a {@link Checkpoints checkpoint} holds commands off only while the
 * snapshot is taken, not while the file is written (about 40 ms at 200 runs/s, every 250 ms, before).
 *
 * <p>H2 creates the executors only together with its background writer thread, which commits by itself on a timer:
 * here that would commit in the middle of a command (a document without its index entry). So the executors are set
 * into H2's file store directly, by reflection on its two private fields (H2 comes with mongo-java-server: 2.4.240).
 * If H2 ever lacks those fields, the store falls back to writing each commit while commands wait, as it did before,
 * and says so at start.
 */
final class WritePipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WritePipeline.class);
    private static final String[] EXECUTORS = {"serializationExecutor", "bufferSaveExecutor"};

    private final MVStore store;
    private final boolean installed;

    private WritePipeline(MVStore store, boolean installed) {
        this.store = store;
        this.installed = installed;
    }

    /** Installs the executors into the store's file store; a pipeline that is not {@link #installed()} if it cannot. */
    static WritePipeline install(MVStore store) {
        try {
            FileStore<?> fileStore = store.getFileStore();
            for (String name : EXECUTORS) {
                if (executorField(name).get(fileStore) != null) {
                    throw new IllegalStateException(name + " is set already: H2's background writer is on");
                }
            }
            for (String name : EXECUTORS) {
                executorField(name).set(fileStore, Utils.createSingleThreadExecutor("store-" + name));
            }
            return new WritePipeline(store, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("the store cannot write commits in the background ({}); checkpoints hold commands while they write",
                    e.toString());
            return new WritePipeline(store, false);
        }
    }

    /** Whether {@link MVStore#tryCommit()} returns once the snapshot is taken (else once the commit is written). */
    boolean installed() {
        return installed;
    }

    /** Returns once every commit taken so far is written to the file (to the operating system: a kill keeps it). */
    void awaitWritten() {
        if (installed && !store.isClosed()) {
            store.getFileStore().executeFileStoreOperation(() -> { });
        }
    }

    /** After the store closed (its last commit written synchronously): stops the executors' threads. */
    @Override
    public void close() {
        if (!installed) {
            return;
        }
        try {
            FileStore<?> fileStore = store.getFileStore();
            for (String name : EXECUTORS) {
                Field field = executorField(name);
                Utils.shutdownExecutor((ThreadPoolExecutor) field.get(fileStore));
                field.set(fileStore, null);
            }
        } catch (ReflectiveOperationException e) {
            LOG.warn("stopping the store's write pipeline failed: {}", e.toString());
        }
    }

    private static Field executorField(String name) throws NoSuchFieldException {
        Field field = FileStore.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}

package dev.tollgate.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;

import dev.tollgate.localstack.store.DurableStore;

/**
 * A server that speaks the MongoDB wire protocol, so services use the real MongoDB driver and Panache against it.
 * It has single-document atomicity (conditional findOneAndUpdate) but no sessions, transactions, change streams or
 * TTL indexes: the services are written not to need them. The backend is {@link DurableStore}: writes committed
 * before they are answered, queries served by indexes like MongoDB's, documents examined counted.
 */
final class EmbeddedMongo implements AutoCloseable {

    /** The local stack's exit status once its store has failed. */
    static final int STORE_FAILED = 75;

    private final MongoServer server;
    private final MongoBackend backend;

    private EmbeddedMongo(MongoBackend backend) {
        this.backend = backend;
        this.server = new MongoServer(backend);
    }

    /** Keeps everything in an H2 MVStore file, so a restarted (or killed) stack has every acknowledged write. */
    static EmbeddedMongo persistent(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DurableStore store = DurableStore.open(file);
        // A store H2 has closed answers every command with an error while it stays up. Stopping at once, as a kill
        // would, lets the next start replay the journal; halt() rather than exit(): the shutdown hooks would try to
        // close the store that cannot be closed. The exit status says why.
        store.onFailure(() -> Runtime.getRuntime().halt(STORE_FAILED));
        return new EmbeddedMongo(store);
    }

    /** In memory, for tests: the same store code (index use, counters) without the file. */
    static EmbeddedMongo inMemory() {
        return new EmbeddedMongo(DurableStore.inMemory());
    }

    void start(String host, int port) {
        server.bind(host, port);
    }

    @Override
    public void close() {
        server.shutdown();
        // Every write is committed already; closing H2 writes its last housekeeping.
        backend.close();
    }
}

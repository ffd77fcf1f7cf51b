package dev.tollgate.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A server that speaks the MongoDB wire protocol, so services use the real MongoDB driver and Panache against it.
 * It has single-document atomicity (conditional findOneAndUpdate) but no sessions, transactions, change streams or
 * TTL indexes: the services are written not to need them.
 */
final class EmbeddedMongo implements AutoCloseable {

    private final MongoServer server;
    private final MongoBackend backend;

    private EmbeddedMongo(MongoBackend backend) {
        this.backend = backend;
        this.server = new MongoServer(backend);
    }

    /** Keeps everything in an H2 MVStore file, so a restarted stack has its data. */
    static EmbeddedMongo persistent(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EmbeddedMongo(new H2Backend(file.toString()));
    }

    static EmbeddedMongo inMemory() {
        return new EmbeddedMongo(new MemoryBackend());
    }

    void start(String host, int port) {
        server.bind(host, port);
    }

    @Override
    public void close() {
        server.shutdown();
        // H2 writes its last changes on close; the memory backend has nothing to flush.
        backend.close();
    }
}

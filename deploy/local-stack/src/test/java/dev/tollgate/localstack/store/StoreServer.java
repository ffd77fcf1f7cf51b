package dev.tollgate.localstack.store;

import java.net.InetSocketAddress;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;

/** A store backend (normally {@link DurableStore}) served on a loopback port in this JVM, with a driver client, for the store's tests. */
final class StoreServer implements AutoCloseable {

    final MongoServer server;
    final MongoClient client;

    StoreServer(MongoBackend store) {
        server = new MongoServer(store);
        InetSocketAddress address = server.bind();
        client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
    }

    @Override
    public void close() {
        client.close();
        server.shutdown();
    }
}

package dev.tollgate.localstack.store;

import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;

/** The store alone in a process of its own, on a file, for {@link StoreCrashTest} to kill. */
public final class StoreProcessMain {

    public static void main(String[] args) throws InterruptedException {
        MongoServer server = new MongoServer(DurableStore.open(Path.of(args[0])));
        server.bind("127.0.0.1", Integer.parseInt(args[1]));
        System.out.println("STORE-READY " + args[1]);
        System.out.flush();
        Thread.currentThread().join();
    }
}

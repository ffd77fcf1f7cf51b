package dev.tollgate.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Starts a real Kafka broker and a MongoDB wire-protocol server for local development and tests, then waits until it
 * is told to stop (SIGTERM / Ctrl-C, or standard input closing with {@code --exit-with-parent}).
 *
 * <p>Prints one line starting with {@value #READY_MARKER} once both accept connections and the topics exist;
 * launchers wait for that line.
 */
public final class LocalStack implements AutoCloseable {

    public static final String READY_MARKER = "TOLLGATE-LOCAL-STACK-READY";

    private final StackOptions options;
    private final Path workDir;
    private EmbeddedMongo mongo;
    private EmbeddedKafka kafka;

    public LocalStack(StackOptions options) throws IOException {
        this.options = options;
        this.workDir = options.persistent() ? options.dataDir() : Files.createTempDirectory("tollgate-local-stack");
    }

    public void start() throws Exception {
        refuseBusyPort(options.mongoPort(), "MongoDB (--mongo-port)");
        refuseBusyPort(options.kafkaPort(), "Kafka (--kafka-port)");
        refuseBusyPort(options.controllerPort(), "the Kafka controller (--controller-port)");
        if (options.keysDir() != null && JwtKeyPair.ensure(options.keysDir())) {
            System.out.println("generated a JWT signing key pair in " + options.keysDir());
        }
        mongo = options.persistent() ? EmbeddedMongo.persistent(workDir.resolve("mongo/tollgate.mv")) : EmbeddedMongo.inMemory();
        mongo.start(options.host(), options.mongoPort());
        kafka = new EmbeddedKafka(options, workDir.resolve("kafka/logs"));
        kafka.start();
        kafka.createTopics(options.topics(), options.partitions());
    }

    @Override
    public void close() {
        if (kafka != null) {
            kafka.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (!options.persistent()) {
            deleteRecursively(workDir);
        }
    }

    public static void main(String[] args) throws Exception {
        StackOptions options;
        try {
            options = StackOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalStack stack = new LocalStack(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));
        try {
            stack.start();
        } catch (PortInUseException e) {
            System.err.println(e.getMessage());
            System.exit(3);
        } catch (RuntimeException e) {
            // Whatever started before the failure (the store's threads) would keep a half stack alive otherwise.
            e.printStackTrace();
            System.exit(1);
        }
        System.out.printf("%s kafka=%s mongodb=%s keys=%s%n", READY_MARKER, options.kafkaBootstrap(),
                options.mongoConnectionString(), options.keysDir() == null ? "-" : options.keysDir());
        System.out.flush();
        if (options.exitWithParent()) {
            exitWhenStdinCloses();
        }
        stopped.await();
    }

    /** A test JVM that dies without running its hooks still closes our stdin pipe: no orphaned broker. */
    private static void exitWhenStdinCloses() {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // ignore input; only end-of-stream matters
                }
            } catch (IOException ignored) {
                // a broken pipe means the parent is gone as well
            }
            System.exit(0);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void refuseBusyPort(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(options.host(), port));
        } catch (IOException e) {
            throw new PortInUseException("port " + port + " on " + options.host() + " for " + what
                    + " is already in use: stop what holds it, or choose another port");
        }
    }

    /** Removes a folder and everything in it, as far as it can. */
    public static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    static final class PortInUseException extends RuntimeException {
        PortInUseException(String message) {
            super(message);
        }
    }
}

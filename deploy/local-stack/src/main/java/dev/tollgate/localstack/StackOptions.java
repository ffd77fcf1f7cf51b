package dev.tollgate.localstack;

import java.nio.file.Path;
import java.util.List;

/**
 * What the local stack is asked to run. Parsed from command-line flags so that the launcher script, the Quarkus
 * test resource and a developer at a shell all start it the same way.
 *
 * @param dataDir where Kafka logs, the store's H2 file and the JWT key pair live; {@code null} runs everything in
 *                memory / in a temporary folder that is deleted on exit (tests)
 */
public record StackOptions(
        String host,
        int kafkaPort,
        int controllerPort,
        int mongoPort,
        Path dataDir,
        Path keysDir,
        int partitions,
        List<String> topics,
        boolean exitWithParent) {

    /** Every topic the platform uses; created at start so that consumers never race auto-creation. */
    public static final List<String> PLATFORM_TOPICS = List.of(
            "workflow.run.requested",
            "workflow.run.lifecycle",
            "callback.delivery.outcome",
            "credits.transactions");

    public static StackOptions parse(String... args) {
        String host = "127.0.0.1";
        int kafkaPort = 9092;
        int controllerPort = -1;
        int mongoPort = 27017;
        Path dataDir = null;
        Path keysDir = null;
        int partitions = 4;
        List<String> topics = PLATFORM_TOPICS;
        boolean exitWithParent = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--host" -> host = value(args, ++i, flag);
                case "--kafka-port" -> kafkaPort = port(value(args, ++i, flag), flag);
                case "--controller-port" -> controllerPort = port(value(args, ++i, flag), flag);
                case "--mongo-port" -> mongoPort = port(value(args, ++i, flag), flag);
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, flag)).toAbsolutePath();
                case "--keys-dir" -> keysDir = Path.of(value(args, ++i, flag)).toAbsolutePath();
                case "--partitions" -> partitions = positive(value(args, ++i, flag), flag);
                case "--topics" -> topics = List.of(value(args, ++i, flag).split(","));
                case "--exit-with-parent" -> exitWithParent = true;
                default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + usage());
            }
        }
        if (controllerPort < 0) {
            controllerPort = kafkaPort + 1;
        }
        if (keysDir == null && dataDir != null) {
            keysDir = dataDir.resolve("keys");
        }
        return new StackOptions(host, kafkaPort, controllerPort, mongoPort, dataDir, keysDir, partitions, topics,
                exitWithParent);
    }

    public boolean persistent() {
        return dataDir != null;
    }

    public String kafkaBootstrap() {
        return host + ":" + kafkaPort;
    }

    public String mongoConnectionString() {
        return "mongodb://" + host + ":" + mongoPort;
    }

    static String usage() {
        return """
                usage: java -jar tollgate-local-stack.jar [flags]
                  --host H              address to bind (default 127.0.0.1)
                  --kafka-port N        Kafka broker port (default 9092)
                  --controller-port N   KRaft controller port (default kafka port + 1)
                  --mongo-port N        MongoDB wire protocol port (default 27017)
                  --data-dir DIR        keep data in DIR across restarts (default: in memory, gone on exit)
                  --keys-dir DIR        where the JWT RSA key pair is kept (default DIR/keys; none without either)
                  --partitions N        partitions for every platform topic (default 4)
                  --topics a,b,c        topics to create (default: the platform's topics)
                  --exit-with-parent    stop when standard input closes (used by tests)
                """;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value\n" + usage());
        }
        return args[i];
    }

    private static int port(String value, String flag) {
        int port = positive(value, flag);
        if (port > 65535) {
            throw new IllegalArgumentException(flag + " must be a TCP port, got " + value);
        }
        return port;
    }

    private static int positive(String value, String flag) {
        try {
            int n = Integer.parseInt(value);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a positive whole number, got " + value);
        }
    }
}

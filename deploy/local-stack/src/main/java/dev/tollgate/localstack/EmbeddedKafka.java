package dev.tollgate.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), the same code a
 * production cluster runs. Formats its log directory on first start, like {@code kafka-storage.sh format}.
 */
final class EmbeddedKafka implements AutoCloseable {

    /**
     * Prefix of the system properties that set or override a broker setting, e.g.
     * {@code -Dtollgate.kafka.num.io.threads=2}.
     */
    static final String OVERRIDE_PREFIX = "tollgate.kafka.";

    private final StackOptions options;
    private final Path logDir;
    private KafkaRaftServer server;

    EmbeddedKafka(StackOptions options, Path logDir) {
        this.options = options;
        this.logDir = logDir;
    }

    void start() {
        Properties props = brokerProperties(System.getProperties());
        Path propsFile = logDir.resolveSibling("kafka-server.properties");
        try {
            Files.createDirectories(logDir);
            try (var out = Files.newBufferedWriter(propsFile)) {
                props.store(out, "written by the Tollgate local stack");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        format(propsFile);
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
    }

    /** Creates the missing topics with the configured partition count and waits until they exist. */
    void createTopics(List<String> topics, int partitions) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.kafkaBootstrap()))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream()
                    .filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        }
    }

    /**
     * The broker's settings: a single node tuned for a laptop, then whatever {@code system} sets under
     * {@value #OVERRIDE_PREFIX} (for measuring, e.g. the broker's thread counts, without a rebuild).
     */
    Properties brokerProperties(Properties system) {
        String host = options.host();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + options.controllerPort());
        p.put("listeners", "PLAINTEXT://" + host + ":" + options.kafkaPort() + ",CONTROLLER://" + host + ":"
                + options.controllerPort());
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + options.kafkaPort());
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", String.valueOf(options.partitions()));
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // A consumer group of one should not wait three seconds for company before it starts consuming.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        // The controller appends a no-op record to the metadata log this often so that other brokers can tell it
        // is alive (500 ms by default); with one node there is no one to tell, and each no-op is a raft append the
        // broker then replays: an idle stack's steady work.
        p.put("metadata.max.idle.interval.ms", "10000");
        p.put("log.flush.interval.messages", "9223372036854775807");
        brokerOverrides(system).forEach(p::put);
        return p;
    }

    /** System properties named {@value #OVERRIDE_PREFIX}{@code <broker setting>}, as broker settings. */
    static Map<String, String> brokerOverrides(Properties system) {
        Map<String, String> overrides = new TreeMap<>();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(OVERRIDE_PREFIX) && name.length() > OVERRIDE_PREFIX.length()) {
                overrides.put(name.substring(OVERRIDE_PREFIX.length()), system.getProperty(name));
            }
        }
        return overrides;
    }

    private void format(Path propsFile) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        var captured = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString(), "--ignore-formatted" },
                new PrintStream(captured, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting the Kafka log directory failed: " + captured);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }
}

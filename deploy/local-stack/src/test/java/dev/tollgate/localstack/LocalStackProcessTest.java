package dev.tollgate.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.tollgate.localstack.testing.LocalStackProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the stack as its own process, the way every service's tests and deploy/local/up do. */
class LocalStackProcessTest {

    @Test
    void createsPlatformTopicsWithTheRequestedPartitionCount() throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start("--partitions", "3");
                Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrap()))) {
            var topics = admin.describeTopics(StackOptions.PLATFORM_TOPICS).allTopicNames().get();
            assertEquals(StackOptions.PLATFORM_TOPICS.size(), topics.size());
            topics.values().forEach(t -> assertEquals(3, t.partitions().size(), t.name()));
        }
    }

    @Test
    void brokerAndStoreServeRealClients() throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start()) {
            String key = UUID.randomUUID().toString();
            roundTripThroughKafka(stack, key);

            try (MongoClient client = MongoClients.create(stack.mongoConnectionString())) {
                var runs = client.getDatabase("smoke").getCollection("runs");
                runs.insertOne(new Document("_id", key).append("status", "queued"));
                // The conditional update every lease and hold relies on: only one of two claims wins.
                var first = runs.findOneAndUpdate(Filters.and(Filters.eq("_id", key), Filters.eq("status", "queued")),
                        Updates.set("status", "running"), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
                var second = runs.findOneAndUpdate(Filters.and(Filters.eq("_id", key), Filters.eq("status", "queued")),
                        Updates.set("status", "running"));
                assertEquals("running", first.getString("status"));
                assertEquals(null, second);
            }
            assertTrue(Files.readString(stack.publicKey()).startsWith("-----BEGIN PUBLIC KEY-----"));
        }
    }

    @Test
    void persistentStackKeepsDocumentsMessagesAndKeysAcrossARestart(@TempDir Path dataDir) throws Exception {
        String key = UUID.randomUUID().toString();
        String publicKey;
        try (LocalStackProcess stack = LocalStackProcess.start(dataDir.resolve("keys"), "--data-dir", dataDir.toString())) {
            publicKey = Files.readString(stack.publicKey());
            try (MongoClient client = MongoClients.create(stack.mongoConnectionString())) {
                client.getDatabase("smoke").getCollection("grants").insertOne(new Document("_id", key).append("credits", 42));
            }
            produce(stack, key);
        }
        try (LocalStackProcess stack = LocalStackProcess.start(dataDir.resolve("keys"), "--data-dir", dataDir.toString())) {
            assertEquals(publicKey, Files.readString(stack.publicKey()));
            try (MongoClient client = MongoClients.create(stack.mongoConnectionString())) {
                Document grant = client.getDatabase("smoke").getCollection("grants").find(Filters.eq("_id", key)).first();
                assertEquals(42, grant.getInteger("credits"));
            }
            assertEquals(key, consumeOne(stack).value());
        }
    }

    @Test
    void aBusyPortIsAClearErrorNotAHang() throws Exception {
        try (var busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path self = Path.of(LocalStack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String cp = self + java.io.File.pathSeparator + self.getParent().resolve("lib") + "/*";
            Process p = new ProcessBuilder(javaBin, "-cp", cp, LocalStack.class.getName(),
                    "--mongo-port", String.valueOf(busy.getLocalPort())).redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the stack should give up at once");
            String output = new String(p.getInputStream().readAllBytes());
            assertEquals(3, p.exitValue(), output);
            assertTrue(output.contains("port " + busy.getLocalPort()) && output.contains("already in use"), output);
        }
    }

    private static void roundTripThroughKafka(LocalStackProcess stack, String key) {
        produce(stack, key);
        ConsumerRecord<String, String> record = consumeOne(stack);
        assertEquals(key, record.key());
    }

    private static void produce(LocalStackProcess stack, String key) {
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("workflow.run.requested", key, key)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ConsumerRecord<String, String> consumeOne(LocalStackProcess stack) {
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "smoke-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("workflow.run.requested"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    return r;
                }
            }
            throw new AssertionError("no record consumed within 30 s");
        }
    }
}

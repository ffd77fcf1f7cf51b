package dev.tollgate.k8s;

import static dev.tollgate.k8s.Manifests.containers;
import static dev.tollgate.k8s.Manifests.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The in-cluster Kafka and MongoDB hang together, and the managed overlay has none of them. */
class DataStoresTest {

    static final Set<String> TOPICS = Set.of("workflow.run.requested", "workflow.run.lifecycle",
            "callback.delivery.outcome", "credits.transactions");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theKafkaClusterHasTheTopicsAndTheServicesPointAtIt(String overlay) {
        Manifests m = Overlays.render(overlay);
        ObjectNode kafka = m.ofKind("Kafka").getFirst();
        String cluster = name(kafka);
        int brokers = m.ofKind("KafkaNodePool").stream()
                .filter(p -> cluster.equals(p.path("metadata").path("labels").path("strimzi.io/cluster").asText()))
                .filter(p -> p.path("spec").path("roles").toString().contains("broker"))
                .mapToInt(p -> p.path("spec").path("replicas").asInt()).sum();
        assertTrue(brokers >= 1);
        Set<String> topics = new TreeSet<>();
        for (ObjectNode topic : m.ofKind("KafkaTopic")) {
            assertEquals(cluster, topic.path("metadata").path("labels").path("strimzi.io/cluster").asText());
            int replicas = topic.path("spec").path("replicas").asInt();
            assertTrue(replicas <= brokers, name(topic) + " wants " + replicas + " replicas of " + brokers + " brokers");
            assertTrue(topic.path("spec").path("config").path("min.insync.replicas").asInt() <= replicas);
            if (overlay.equals("production")) {
                assertEquals(3, replicas, name(topic));
                assertEquals(2, topic.path("spec").path("config").path("min.insync.replicas").asInt(), name(topic));
            }
            topics.add(topic.path("spec").path("topicName").asText());
        }
        assertEquals(new TreeSet<>(TOPICS), topics);
        if (overlay.equals("production")) {
            assertEquals(12, partitions(m, "workflow.run.requested"));
            assertEquals(3, brokers);
        }
        // Strimzi names the bootstrap Service <cluster>-kafka-bootstrap; the plain listener is the one clients use.
        JsonNode listener = kafka.path("spec").path("kafka").path("listeners").get(0);
        String expected = cluster + "-kafka-bootstrap:" + listener.path("port").asInt();
        for (ObjectNode deployment : m.ofKind("Deployment")) {
            assertEquals(expected, m.environment(containers(deployment).getFirst()).get("KAFKA_BOOTSTRAP_SERVERS"), name(deployment));
        }
        // Strimzi turns networkPolicyPeers into the brokers' ingress policy: the Kafka users and KEDA's operator.
        String peers = listener.path("networkPolicyPeers").toString();
        assertTrue(peers.contains("\"tollgate.dev/uses-kafka\":\"true\"") && peers.contains("\"keda\""), peers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theMongoDbMembersMatchTheStatefulSetAndTheConnectionString(String overlay) {
        Manifests m = Overlays.render(overlay);
        ObjectNode statefulSet = m.get("StatefulSet", "mongodb");
        int replicas = statefulSet.path("spec").path("replicas").asInt();
        assertEquals(overlay.equals("production") ? 3 : 1, replicas);
        String service = statefulSet.path("spec").path("serviceName").asText();
        assertEquals("None", m.get("Service", service).path("spec").path("clusterIP").asText(), "a headless Service");
        Map<String, String> config = m.data("ConfigMap", "mongodb-config");
        List<String> members = Arrays.asList(config.get("MONGODB_MEMBERS").split(","));
        assertEquals(replicas, members.size());
        for (int i = 0; i < replicas; i++) {
            assertEquals(name(statefulSet) + "-" + i + "." + service + ":27017", members.get(i));
        }
        assertTrue(statefulSet.path("spec").path("template").path("spec").path("containers").get(0).path("args").toString()
                .contains("\"--replSet\",\"" + config.get("MONGODB_REPLICA_SET") + "\""));
        // What make-secrets wrote for the services: every member, the replica set, the application user.
        String connection = m.environment(containers(m.get("Deployment", "credits-service")).getFirst())
                .get("QUARKUS_MONGODB_CONNECTION_STRING");
        URI uri = URI.create(connection.replace(",", "%2C"));
        assertEquals(String.join(",", members), connection.substring(connection.indexOf('@') + 1, connection.indexOf("/?")));
        assertTrue(uri.getQuery().contains("replicaSet=" + config.get("MONGODB_REPLICA_SET")));
        String serverSecret = m.ofKind("Secret").stream().map(Manifests::name)
                .filter(n -> n.startsWith("tollgate-mongodb-server")).findFirst().orElseThrow();
        Map<String, String> server = m.data("Secret", serverSecret);
        assertTrue(connection.startsWith("mongodb://" + server.get("MONGODB_APP_USERNAME") + ":" + server.get("MONGODB_APP_PASSWORD") + "@"));
    }

    @Test
    void theManagedOverlayRunsNoDataStoresAndNamesAnExternalKafka() {
        Manifests m = Overlays.render("production-managed-data");
        for (String kind : List.of("Kafka", "KafkaNodePool", "KafkaTopic", "StatefulSet", "Job")) {
            assertEquals(List.of(), m.ofKind(kind), kind);
        }
        assertTrue(m.find("Secret", "tollgate-mongodb-server").isEmpty());
        for (ObjectNode deployment : m.ofKind("Deployment")) {
            String bootstrap = m.environment(containers(deployment).getFirst()).get("KAFKA_BOOTSTRAP_SERVERS");
            assertTrue(!bootstrap.contains("kafka-bootstrap") && !bootstrap.contains("invalid"), bootstrap);
        }
    }

    private static int partitions(Manifests m, String topic) {
        return m.ofKind("KafkaTopic").stream().filter(t -> topic.equals(t.path("spec").path("topicName").asText()))
                .findFirst().orElseThrow().path("spec").path("partitions").asInt();
    }
}

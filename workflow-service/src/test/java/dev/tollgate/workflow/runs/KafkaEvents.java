package dev.tollgate.workflow.runs;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.platform.messaging.KafkaSends;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a run's events from both run topics, from the beginning, deduplicated by event id (of a request published
 * twice, the copy that carries the run).
 */
public final class KafkaEvents {

    private KafkaEvents() {
    }

    /** One record of a run's event as it is in the topic: marked republished or not ({@link KafkaSends}). */
    public record Copy(String eventId, boolean republished) {
    }

    /** Every record of the run's lifecycle events, in topic order, once at least {@code atLeast} are there. */
    public static List<Copy> lifecycleCopies(String runId, int atLeast) {
        ObjectMapper json = new ObjectMapper();
        List<Copy> copies = new ArrayList<>();
        try (var consumer = fromTheBeginning()) {
            consumer.subscribe(List.of("workflow.run.lifecycle"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (runId.equals(r.key())) {
                        copies.add(new Copy(json.readTree(r.value()).get("id").asText(),
                                KafkaSends.isRepublished(r.headers())));
                    }
                }
                return copies.size() >= atLeast;
            });
        }
        return copies;
    }

    /** The {@code traceparent} header of each of the run's events (by event id), once {@code atLeast} are there. */
    public static Map<String, String> traceparents(String runId, int atLeast) {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> byId = new ConcurrentHashMap<>();
        try (var consumer = fromTheBeginning()) {
            consumer.subscribe(List.of("workflow.run.requested", "workflow.run.lifecycle"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (runId.equals(r.key())) {
                        byId.put(json.readTree(r.value()).get("id").asText(),
                                KafkaSends.traceparent(r.headers()).orElse(""));
                    }
                }
                return byId.size() >= atLeast;
            });
        }
        return byId;
    }

    /** The headers (as text) of the run's first {@code run.requested} record. */
    public static Map<String, String> requestHeaders(String runId) {
        Map<String, String> headers = new ConcurrentHashMap<>();
        try (var consumer = fromTheBeginning()) {
            consumer.subscribe(List.of("workflow.run.requested"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (runId.equals(r.key()) && headers.isEmpty()) {
                        r.headers().forEach(h -> headers.put(h.key(),
                                new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
                        headers.putIfAbsent("", "");
                    }
                }
                return !headers.isEmpty();
            });
        }
        headers.remove("");
        return headers;
    }

    /** A consumer of its own group, reading from the beginning. */
    private static KafkaConsumer<String, String> fromTheBeginning() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackTestResource.stack().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
    }

    public static Map<String, JsonNode> forRun(String runId, int atLeast) {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> byId = new ConcurrentHashMap<>();
        try (var consumer = fromTheBeginning()) {
            consumer.subscribe(List.of("workflow.run.requested", "workflow.run.lifecycle"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (runId.equals(r.key())) {
                        JsonNode event = json.readTree(r.value());
                        // A queued run's request may be published twice (the api's first sweep publishes every
                        // queued run's stored request again); the stored copy leaves the run out, the first one
                        // carries it: keep that one.
                        byId.merge(event.get("id").asText(), event,
                                (first, again) -> first.path("data").has(RunSnapshots.FIELD) ? first : again);
                    }
                }
                return byId.size() >= atLeast;
            });
        }
        return byId;
    }
}

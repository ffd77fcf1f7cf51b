package dev.tollgate.callback.support;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads {@code callback.delivery.outcome} like workflow-service does: from the start, deduplicated by event id. */
public final class Outcomes implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, JsonNode> byId = new ConcurrentHashMap<>();

    public Outcomes(String bootstrap) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of("callback.delivery.outcome"));
    }

    /** The outcomes of one run seen so far (after polling once more), ordered by attempt. */
    public synchronized List<JsonNode> ofRun(String runId) {
        poll();
        return attemptsOf(runId);
    }

    /**
     * The outcomes of many runs seen so far, each ordered by attempt, after a single poll (polling once per run
     * would cost up to 200 ms a run when nothing new has arrived).
     */
    public synchronized Map<String, List<JsonNode>> ofRuns(Collection<String> runIds) {
        poll();
        Map<String, List<JsonNode>> outcomes = new LinkedHashMap<>();
        runIds.forEach(runId -> outcomes.put(runId, attemptsOf(runId)));
        return outcomes;
    }

    private void poll() {
        try {
            for (var r : consumer.poll(Duration.ofMillis(200))) {
                JsonNode event = JSON.readTree(r.value());
                byId.put(event.get("id").asText(), event);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> attemptsOf(String runId) {
        return byId.values().stream().filter(e -> runId.equals(e.at("/data/run_id").asText()))
                .sorted((a, b) -> Integer.compare(a.at("/data/attempt").asInt(), b.at("/data/attempt").asInt()))
                .toList();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}

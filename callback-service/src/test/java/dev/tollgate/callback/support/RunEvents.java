package dev.tollgate.callback.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.platform.messaging.CloudEvent;
import dev.tollgate.platform.messaging.KafkaSends;
import dev.tollgate.platform.tracing.TraceParents;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.types.ObjectId;

/**
 * Plays workflow-service: publishes {@code workflow.run.lifecycle} events, shaped as its {@code RunEvents} writes
 * them (CloudEvents attributes, {@code data.run} = the status endpoint's run object, owner and budget).
 */
public final class RunEvents implements AutoCloseable {

    /** The {@code data} of a lifecycle event: the run, whose it is and the budget it ran on. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Lifecycle(ObjectNode run, String ownerUserId, String budgetId) {
    }

    public static final String TOPIC = "workflow.run.lifecycle";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<String, String> producer;

    public RunEvents(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new StringSerializer());
    }

    /** A run that ended with {@code status} and asks for a callback to {@code callbackUrl}. */
    public static ObjectNode endedRun(String callbackUrl, String status) {
        String now = Instant.now().toString();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("run_id", new ObjectId().toHexString());
        run.put("workflow_id", "wf-test");
        run.put("status", status);
        run.put("prompt", "Summarize the status of open orders");
        run.put("response_text", "completed".equals(status) ? "All 3 orders shipped. ünïcødé ✓" : null);
        run.put("session_id", null);
        run.put("model", null);
        run.put("error_code", "failed".equals(status) ? "tool_failed" : null);
        run.put("error_message", "failed".equals(status) ? "the tool said no" : null);
        run.put("callback_url", callbackUrl);
        run.put("callback_status", "pending");
        run.put("callback_last_status", null);
        run.put("callback_last_error", null);
        run.put("callback_attempted_at", null);
        run.put("callback_delivered_at", null);
        run.put("request_metadata", Map.of("ticket", 42, "ratio", 0.25));
        run.put("run_metadata", Map.of());
        run.put("created_at", now);
        run.put("updated_at", now);
        run.put("started_at", now);
        run.put("completed_at", now);
        run.put("cancel_requested_at", null);
        run.put("cancel_requested_by_user_id", null);
        run.put("cancel_request_id", null);
        run.put("cancel_reason", null);
        return JSON.valueToTree(run);
    }

    /** Publishes {@code run.<status>} for the run (owned by {@code userId}) and waits for the broker's ack. */
    public String publish(ObjectNode run, String userId) {
        String type = "run." + run.get("status").asText();
        return publish(run, userId, type, run.get("run_id").asText() + ":" + type + ":1");
    }

    public String publish(ObjectNode run, String userId, String type, String eventId) {
        return publish(run, userId, type, eventId, run.get("run_id").asText());
    }

    /** With an explicit Kafka key: events under one key are consumed in order, whatever run they carry. */
    public String publish(ObjectNode run, String userId, String type, String eventId, String key) {
        return publish(run, userId, type, eventId, key, false);
    }

    /** {@code run.<status>} for the run, in the trace {@code traceparent} (its record header, as the outbox sends it). */
    public String publishTraced(ObjectNode run, String userId, String traceparent) {
        String type = "run." + run.get("status").asText();
        String runId = run.get("run_id").asText();
        try {
            ProducerRecord<String, String> record = record(run, userId, type, runId + ":" + type + ":1", runId);
            record.headers().add(TraceParents.HEADER, traceparent.getBytes(StandardCharsets.US_ASCII));
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publishing a lifecycle event failed", e);
        }
        return runId;
    }

    /**
     * {@code run.<status>} for the run as workflow-service's outbox sweep publishes an event again: marked
     * {@link KafkaSends#REPUBLISHED_HEADER}.
     */
    public String publishAgain(ObjectNode run, String userId) {
        String type = "run." + run.get("status").asText();
        String runId = run.get("run_id").asText();
        return publish(run, userId, type, runId + ":" + type + ":1", runId, true);
    }

    private String publish(ObjectNode run, String userId, String type, String eventId, String key,
            boolean republished) {
        try {
            send(run, userId, type, eventId, key, republished).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publishing a lifecycle event failed", e);
        }
        return run.get("run_id").asText();
    }

    /**
     * Publishes {@code run.<status>} without waiting for the broker's ack, so a load generator can keep many events
     * in flight (the producer batches them); the future completes with the ack.
     */
    public Future<RecordMetadata> publishAsync(ObjectNode run, String userId) {
        String type = "run." + run.get("status").asText();
        String runId = run.get("run_id").asText();
        return send(run, userId, type, runId + ":" + type + ":1", runId, false);
    }

    private Future<RecordMetadata> send(ObjectNode run, String userId, String type, String eventId, String key,
            boolean republished) {
        ProducerRecord<String, String> record = record(run, userId, type, eventId, key);
        if (republished) {
            KafkaSends.markRepublished(record.headers());
        }
        return producer.send(record);
    }

    private static ProducerRecord<String, String> record(ObjectNode run, String userId, String type, String eventId,
            String key) {
        String runId = run.get("run_id").asText();
        CloudEvent<Lifecycle> event = CloudEvent.of(eventId, "tollgate/workflow-service", type, runId,
                Instant.now().toString(), new Lifecycle(run, userId, "budget-" + userId));
        try {
            return new ProducerRecord<>(TOPIC, key, JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}

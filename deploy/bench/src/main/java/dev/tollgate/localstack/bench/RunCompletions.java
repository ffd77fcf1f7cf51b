package dev.tollgate.localstack.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * When runs finished, as the platform announces it: a consumer of {@code workflow.run.lifecycle} (every partition,
 * from the end, no consumer group) noting each run's terminal event. Listening to the fact the platform publishes
 * costs the platform nothing, where polling 400 runs' status would load the very services being measured.
 */
final class RunCompletions implements AutoCloseable {

    static final String TOPIC = "workflow.run.lifecycle";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A run's terminal event: its type ({@code run.completed}, {@code run.failed}, ...) and when it was seen. */
    record Finished(String type, long atNanos) {
    }

    private final FirstSeen<Finished> finished = new FirstSeen<>();
    private final KafkaConsumer<String, String> consumer;
    private final Thread poller;
    private volatile boolean running = true;

    RunCompletions(String bootstrap) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before any run of this harness is triggered
        poller = Thread.ofPlatform().name("run-completions").daemon().start(this::poll);
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    JsonNode event = JSON.readTree(record.value());
                    String type = event.path("type").asText();
                    if (type.equals("run.completed") || type.equals("run.failed") || type.equals("run.cancelled")) {
                        finished.record(event.path("subject").asText(), new Finished(type, now));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            System.err.println("reading " + TOPIC + " failed: " + e);
        } finally {
            consumer.close();
        }
    }

    /** Waits until every run finished or {@code timeout} passed; returns what finished of them. */
    Map<String, Finished> await(Collection<String> runIds, Duration timeout) throws InterruptedException {
        return finished.await(runIds, timeout);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(5_000);
    }
}

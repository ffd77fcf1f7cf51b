package dev.tollgate.workflow.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tollgate.workflow.outbox.RunTopics;
import dev.tollgate.workflow.roles.ServiceRole;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * In the api role: reads {@code workflow.run.lifecycle} from its end and tells {@link RunWatchers} which run each
 * event is about (the record key; the value is never parsed). Every replica reads every partition by assignment, with no
 * consumer group: a waiting client may be connected to any replica, there are no offsets worth keeping (only changes
 * after a client started waiting matter), and no rebalance ever pauses it. A missed event costs nothing but time: a
 * long-poll still answers the run as it is when its wait is up, a stream on its next change.
 */
@ApplicationScoped
public class RunChangeFeed {

    private static final Logger LOG = Logger.getLogger(RunChangeFeed.class);

    // A fetch returns as soon as an event arrives; the wait only spaces out the empty fetches of a quiet platform.
    private static final int IDLE_FETCH_WAIT_MS = 3000;
    private static final Duration POLL = Duration.ofSeconds(1);
    /** New partitions of the topic (an operator added some) are picked up this often. */
    private static final long PARTITION_CHECK_NANOS = Duration.ofSeconds(30).toNanos();

    private final ServiceRole role;
    private final RunWatchers watchers;
    private final String bootstrap;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private volatile boolean positioned;
    private volatile Thread thread;

    public RunChangeFeed(ServiceRole role, RunWatchers watchers,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.role = role;
        this.watchers = watchers;
        this.bootstrap = bootstrap;
    }

    void start(@Observes StartupEvent event) {
        if (role.isWorker()) {
            return;
        }
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "workflow-run-changes",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, IDLE_FETCH_WAIT_MS),
                new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = Thread.ofPlatform().name("run-change-feed").daemon().start(this::loop);
    }

    /** Whether the feed reads the topic from a known position (waits registered from now on see every change). */
    public boolean isPositioned() {
        return positioned;
    }

    private void loop() {
        Set<TopicPartition> assigned = new HashSet<>();
        long lastCheck = 0;
        while (running) {
            try {
                if (assigned.isEmpty() || System.nanoTime() - lastCheck > PARTITION_CHECK_NANOS) {
                    lastCheck = System.nanoTime();
                    assignNewPartitions(assigned);
                    if (assigned.isEmpty()) {
                        Thread.sleep(POLL.toMillis()); // the topic does not exist yet
                        continue;
                    }
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.key() != null) {
                        watchers.changed(record.key());
                    }
                }
            } catch (WakeupException | InterruptedException stopping) {
                break;
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                // Kafka unreachable or the like: waits fall back to their time limit meanwhile.
                LOG.warnf("reading run changes failed, retrying: %s", e.toString());
                sleepQuietly();
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }

    private void assignNewPartitions(Set<TopicPartition> assigned) {
        List<PartitionInfo> partitions = consumer.partitionsFor(RunTopics.LIFECYCLE);
        if (partitions == null) {
            return;
        }
        List<TopicPartition> added = new ArrayList<>();
        for (PartitionInfo p : partitions) {
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            if (assigned.add(tp)) {
                added.add(tp);
            }
        }
        if (!added.isEmpty()) {
            consumer.assign(assigned);
            consumer.seekToEnd(added);
            added.forEach(consumer::position); // resolve "end" now, so that what comes next is read
            positioned = true;
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
            Thread t = thread;
            if (t != null) {
                t.join(3000);
            }
        }
    }
}

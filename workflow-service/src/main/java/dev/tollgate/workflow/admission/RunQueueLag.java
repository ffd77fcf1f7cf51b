package dev.tollgate.workflow.admission;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.tollgate.workflow.outbox.RunTopics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many run requests wait for a worker: the workers' consumer group lag on {@code workflow.run.requested} (Kafka's
 * end offsets minus the group's committed offsets, the figure a lag-based autoscaler reads). The api role refuses
 * triggers on it ({@link RunQueueAdmission}); the worker role asks whether the group took everything published before
 * a time ({@link #tookEverythingPublishedBefore}) before requesting a queued run again (a run queued behind a backlog
 * has not lost its request).
 */
@ApplicationScoped
public class RunQueueLag {

    /** The workers' consumer group (RunRequestListener). */
    public static final String WORKERS_GROUP = "workflow-workers";
    /** A topic's partitions are looked up again this often (partitions may be added; they are never removed). */
    private static final long PARTITIONS_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long TIMEOUT_MS = RunQueueAdmission.TIMEOUT_MS;

    private final String bootstrap;

    private volatile Set<TopicPartition> partitions = Set.of();
    private volatile long partitionsAt;
    private Admin admin;

    public RunQueueLag(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /**
     * This bean's own admin client, created at the first call (the worker role asks rarely: only when queued runs
     * look stuck).
     */
    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.CLIENT_ID_CONFIG, "workflow-run-queue",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS));
        }
        return admin;
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    /**
     * Whether the workers' group has taken every request published before {@code before}, on every partition (its
     * committed offset is at or past the first record at or after that time). Then a run queued and untouched since
     * then has lost its request; if not, requests that old still wait (a backlog), and that run's may be among them.
     * A steady flow of younger requests does not matter, as a lag of zero would. Throws when Kafka cannot be asked.
     */
    public synchronized boolean tookEverythingPublishedBefore(Instant before) throws Exception {
        Admin a = admin();
        Set<TopicPartition> topic = partitions(a);
        Map<TopicPartition, OffsetAndMetadata> committed = a.listConsumerGroupOffsets(WORKERS_GROUP)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> atTime = new HashMap<>();
        Map<TopicPartition, OffsetSpec> atStart = new HashMap<>();
        for (TopicPartition p : topic) {
            atTime.put(p, OffsetSpec.forTimestamp(before.toEpochMilli()));
            atStart.put(p, OffsetSpec.earliest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> firstAfter = a.listOffsets(atTime).all()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = null;
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = a.listOffsets(atStart).all()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (TopicPartition p : topic) {
            long from = firstAfter.get(p).offset();
            if (from < 0) { // no record at or after that time: everything in the partition is older
                if (ends == null) {
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    topic.forEach(t -> latest.put(t, OffsetSpec.latest()));
                    ends = a.listOffsets(latest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                }
                from = ends.get(p).offset();
            }
            OffsetAndMetadata c = committed.get(p);
            long taken = c != null ? c.offset() : starts.get(p).offset();
            if (taken < from) {
                return false;
            }
        }
        return true;
    }

    /** Requests published and not yet taken by the workers' group; throws when Kafka cannot be asked. */
    public long waitingRequests(Admin a) throws Exception {
        Set<TopicPartition> topic = partitions(a);
        Map<TopicPartition, OffsetAndMetadata> committed = a.listConsumerGroupOffsets(WORKERS_GROUP)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (TopicPartition p : topic) {
            ask.put(p, OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = a.listOffsets(ask).all()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        // A partition the group never committed is read from its start (the workers' auto.offset.reset=earliest).
        Map<TopicPartition, OffsetSpec> uncommitted = topic.stream()
                .filter(p -> committed.get(p) == null)
                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = uncommitted.isEmpty() ? Map.of()
                : a.listOffsets(uncommitted).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        long waiting = 0;
        for (TopicPartition p : topic) {
            OffsetAndMetadata c = committed.get(p);
            long from = c != null ? c.offset() : starts.get(p).offset();
            waiting += Math.max(0, ends.get(p).offset() - from);
        }
        return waiting;
    }

    private Set<TopicPartition> partitions(Admin a) throws Exception {
        long now = System.nanoTime();
        if (partitions.isEmpty() || now - partitionsAt > PARTITIONS_NANOS) {
            var description = a.describeTopics(List.of(RunTopics.REQUESTED)).allTopicNames()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(RunTopics.REQUESTED);
            partitions = description.partitions().stream()
                    .map(p -> new TopicPartition(RunTopics.REQUESTED, p.partition()))
                    .collect(Collectors.toUnmodifiableSet());
            partitionsAt = now;
        }
        return partitions;
    }
}

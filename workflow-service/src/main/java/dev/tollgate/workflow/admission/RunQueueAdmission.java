package dev.tollgate.workflow.admission;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.outbox.RunEvents;
import dev.tollgate.workflow.roles.ServiceRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * In the api role: refuses new triggers while too many run requests wait for a worker ({@link TriggerAdmission}).
 * The queue is measured where it is, as the workers' consumer group lag on {@code workflow.run.requested} (Kafka's
 * end offsets minus the group's committed offsets, the figure a lag-based autoscaler reads), a few times a second
 * and only while triggers arrive, so an idle api asks Kafka nothing. A trigger reads the last measurement and costs
 * no request of its own. The measurement trails the queue by up to an interval plus the workers' 200 ms commit
 * interval; a burst can overshoot the bound by what arrives meanwhile, which is the price of not asking per trigger.
 */
@ApplicationScoped
public class RunQueueAdmission {

    private static final Logger LOG = Logger.getLogger(RunQueueAdmission.class);

    /** The workers' consumer group (RunRequestListener). */
    static final String WORKERS_GROUP = "workflow-workers";
    /** Measure while a trigger came within this long; an idle api leaves Kafka alone. */
    private static final long ACTIVE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A topic's partitions are looked up again this often (partitions may be added; they are never removed). */
    private static final long PARTITIONS_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long TIMEOUT_MS = 2000;

    @Inject
    ServiceRole role;

    @Inject
    WorkflowConfig config;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private TriggerAdmission admission;
    private Counter refused;
    private volatile Admin admin;
    private volatile TriggerAdmission.Measurement last;
    private volatile long lastTrigger = System.nanoTime() - ACTIVE_NANOS;
    private Set<TopicPartition> partitions = Set.of();
    private long partitionsAt;

    @PostConstruct
    void init() {
        WorkflowConfig.Admission settings = config.admission();
        admission = new TriggerAdmission(settings.maxWaitingRequests(), settings.staleAfter(), settings.retryAfter());
        refused = metrics.counter("tollgate.workflow.triggers.refused", "reason", "run_queue_full");
    }

    void start(@Observes StartupEvent event) {
        if (role.isWorker() || config.admission().maxWaitingRequests() <= 0) {
            return;
        }
        metrics.gauge("tollgate.workflow.run.requests.waiting", this,
                a -> a.last == null ? Double.NaN : a.last.waitingRequests());
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "workflow-admission",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS));
    }

    void stop(@Observes ShutdownEvent event) {
        Admin a = admin;
        admin = null;
        if (a != null) {
            a.close();
        }
    }

    /** Throws {@link OverloadedError} when the run queue is full; otherwise returns at once. */
    public void admitOrRefuse() {
        lastTrigger = System.nanoTime();
        TriggerAdmission.Decision d = admission.decide(last, Instant.now());
        if (!d.admitted()) {
            refused.increment();
            throw new OverloadedError(d.retryAfterSeconds());
        }
    }

    /** The last measurement (null before the first, or after Kafka could not be asked). */
    public TriggerAdmission.Measurement lastMeasurement() {
        return last;
    }

    @Scheduled(every = "${tollgate.workflow.admission.measure-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void measure() {
        Admin a = admin;
        if (a == null || System.nanoTime() - lastTrigger > ACTIVE_NANOS) {
            return;
        }
        try {
            last = new TriggerAdmission.Measurement(waitingRequests(a), Instant.now());
        } catch (Exception e) {
            // Fail open: a stale measurement admits (TriggerAdmission), and the outbox holds what Kafka cannot take.
            LOG.debugf("could not measure the run queue: %s", e.toString());
        }
    }

    private long waitingRequests(Admin a) throws Exception {
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
            var description = a.describeTopics(List.of(RunEvents.REQUESTED_TOPIC)).allTopicNames()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(RunEvents.REQUESTED_TOPIC);
            partitions = description.partitions().stream()
                    .map(p -> new TopicPartition(RunEvents.REQUESTED_TOPIC, p.partition()))
                    .collect(Collectors.toUnmodifiableSet());
            partitionsAt = now;
        }
        return partitions;
    }
}

package dev.tollgate.workflow.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.roles.ServiceRole;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * In the worker role only: consumes {@code workflow.run.requested} in the {@code workflow-workers} consumer group
 * (more partitions and more worker pods = more runs at once) and runs at most {@code concurrency} runs at a time.
 * A plain consumer rather than a messaging channel, so that the role switch alone decides whether a process
 * consumes, and polling pauses while all slots are busy.
 */
@ApplicationScoped
public class RunRequestListener {

    private static final Logger LOG = Logger.getLogger(RunRequestListener.class);

    static final int IDLE_FETCH_WAIT_MS = 3000;
    // A poll returns as soon as a request arrives. The loop polls only while it holds a free slot, so a request is
    // never taken without a slot to run it in, and a slot freed while all were busy takes the next request at once.
    private static final Duration POLL_WITH_A_SLOT = Duration.ofSeconds(1);
    // All slots busy this long: pause fetching and poll anyway, so that long runs never keep this worker from
    // polling for max.poll.interval.ms (the group would take its partitions away).
    private static final long FULL_CHECK_SECONDS = 1;
    // Offsets are committed at most this often while requests flow (and at once when a poll finds nothing): a commit
    // per request was a group-coordinator write per run. Only up to the first request not yet decided here (its
    // run's unclaimed write applied, or its claim written or refused: RequestOffsets): a crash replays what was not
    // decided, so a request whose run died with this worker before its write is run again at once by the worker that
    // takes the partition (it used to wait for the stuck-queued sweep, a minute), while a claimed run's long steps
    // do not hold the commit (its lease brings it back).
    static final long COMMIT_INTERVAL_NANOS = Duration.ofMillis(200).toNanos();
    // Within the shutdown's wait for this thread (5 s): a commit of what was decided, then the leave request.
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    private final ServiceRole role;
    private final WorkflowConfig config;
    private final RunWorker worker;
    private final String bootstrap;

    private volatile KafkaConsumer<String, String> consumer;
    private final RequestOffsets offsets = new RequestOffsets();
    private volatile boolean running;
    private volatile boolean fenced;
    private ExecutorService runs;
    private volatile Thread listener;

    public RunRequestListener(ServiceRole role, WorkflowConfig config, RunWorker worker,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.role = role;
        this.config = config;
        this.worker = worker;
        this.bootstrap = bootstrap;
    }

    void start(@Observes StartupEvent event) {
        if (!role.isWorker()) {
            return;
        }
        int slots = config.worker().concurrency();
        LOG.infof("worker %s: runs it ends show run_metadata.worker = %s", RunWorker.NAME, RunWorker.PUBLIC_REFERENCE);
        runs = Executors.newFixedThreadPool(slots, Thread.ofPlatform().name("run-", 0).factory());
        consumer = new KafkaConsumer<>(consumerSettings(bootstrap, config.worker()), new StringDeserializer(),
                new StringDeserializer());
        running = true;
        Semaphore free = new Semaphore(slots);
        listener = Thread.ofPlatform().name("run-request-listener").daemon().start(() -> {
            try {
                loop(free);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (running) {
                    // A worker that no longer polls would look healthy while taking nothing: exit, so that the
                    // orchestrator restarts it (its claimed runs come back when their leases run out).
                    LOG.errorf(e, "the run request listener stopped; exiting");
                    Quarkus.asyncExit(1);
                }
            }
        });
    }

    static Map<String, Object> consumerSettings(String bootstrap, WorkflowConfig.Worker worker) {
        int sessionMs = (int) worker.groupSessionTimeout().toMillis();
        Map<String, Object> settings = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "workflow-workers",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // One request per poll, taken with the slot that runs it. The consumer still fetches in bulk: a poll
                // served from what it fetched before is no broker request.
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                // The broker answers a fetch as soon as a request arrives; the wait only spaces out empty fetches
                // of an idle worker (the default 500 ms made them most of an idle platform's broker work).
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, IDLE_FETCH_WAIT_MS,
                // A killed worker's partitions (and the requests recovered onto them) move to the others this soon.
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionMs,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, sessionMs / 3));
        // A static member restarted within the session timeout is given its partitions back without a rebalance.
        worker.groupInstanceId().ifPresent(id -> settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        return settings;
    }

    private void loop(Semaphore free) throws InterruptedException {
        long lastCommit = System.nanoTime();
        // Stopped normally, a worker leaves the group at once, also as a static member (whose default is to stay until
        // its session times out, waiting for a restart): a worker scaled in or replaced by a rollout does not come back.
        GroupMembershipOperation onClose = GroupMembershipOperation.LEAVE_GROUP;
        try {
            consumer.subscribe(List.of("workflow.run.requested"), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (fenced) {
                        return; // its commits would be refused: the partitions are another member's
                    }
                    // What finished here is committed before another worker takes the partition; what still
                    // executes is replayed there (its claim then fails, or its unclaimed write does not apply).
                    commitSyncQuietly(offsets.committable(partitions));
                    offsets.forget(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            while (running) {
                boolean polled;
                if (free.tryAcquire(FULL_CHECK_SECONDS, TimeUnit.SECONDS)) {
                    if (!consumer.paused().isEmpty()) {
                        consumer.resume(consumer.paused());
                    }
                    polled = dispatch(consumer.poll(POLL_WITH_A_SLOT), free);
                } else {
                    consumer.pause(consumer.assignment());
                    consumer.poll(Duration.ZERO);
                    polled = false;
                }
                // Committed up to the first request still executing here (RequestOffsets), at most every 200 ms
                // while requests flow and when a poll finds nothing; nothing finished since, nothing to commit (a
                // commit per empty poll was the group coordinator's main work on an idle platform).
                long now = System.nanoTime();
                if (!polled || now - lastCommit >= COMMIT_INTERVAL_NANOS) {
                    Map<TopicPartition, OffsetAndMetadata> due = offsets.committable(consumer.assignment());
                    if (!due.isEmpty()) {
                        consumer.commitAsync(due, (committed, error) -> {
                            if (error == null) {
                                offsets.committed(committed);
                            }
                        });
                    }
                    lastCommit = now;
                }
            }
        } catch (WakeupException stopping) {
            // shutdown
        } catch (FencedInstanceIdException twin) {
            // Another live process joined under this worker's group.instance.id (a misconfiguration: pod names are
            // unique among live pods): the partitions are its now. The runs executing here finish; their requests
            // are replayed there, and the conditional claim keeps each run to one attempt. This process exits.
            fenced = true;
            onClose = GroupMembershipOperation.REMAIN_IN_GROUP;
            throw new IllegalStateException("another worker joined the consumer group as "
                    + config.worker().groupInstanceId().orElse("?"), twin);
        } finally {
            // Closing revokes the partitions first (onPartitionsRevoked commits what was decided here), then leaves.
            consumer.close(CloseOptions.groupMembershipOperation(onClose).withTimeout(CLOSE_TIMEOUT));
        }
    }

    private void commitSyncQuietly(Map<TopicPartition, OffsetAndMetadata> due) {
        if (due.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(due, Duration.ofSeconds(2));
            offsets.committed(due);
        } catch (RuntimeException e) {
            LOG.debugf("offset commit failed (the requests are replayed): %s", e);
        }
    }

    /**
     * Runs the polled request (at most one) in the slot the caller holds, or gives the slot back. Returns whether a
     * request was taken.
     */
    private boolean dispatch(ConsumerRecords<String, String> records, Semaphore free) {
        for (ConsumerRecord<String, String> record : records) {
            if (!ObjectId.isValid(record.key())) {
                offsets.skipped(new TopicPartition(record.topic(), record.partition()), record.offset());
                continue;
            }
            ObjectId runId = new ObjectId(record.key());
            String request = record.value();
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            long offset = record.offset();
            offsets.taken(partition, offset);
            runs.execute(() -> {
                try {
                    worker.execute(runId, request, () -> offsets.finished(partition, offset));
                } catch (RuntimeException e) {
                    LOG.warnf(e, "run %s failed in the worker", runId);
                } finally {
                    offsets.finished(partition, offset);
                    free.release();
                }
            });
            return true;
        }
        free.release();
        return !records.isEmpty();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (runs != null) {
            runs.shutdown();
        }
        if (listener != null) {
            // Until the consumer has committed and left the group: the JVM would otherwise exit first, and the
            // group would wait out the session timeout before handing this worker's partitions on.
            try {
                listener.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

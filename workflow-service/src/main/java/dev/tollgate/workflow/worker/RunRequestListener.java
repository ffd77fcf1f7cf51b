package dev.tollgate.workflow.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import dev.tollgate.platform.messaging.KafkaSends;
import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.outbox.RunTopics;
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
 * consumes, and reading pauses while {@code fairness.read-ahead} requests wait. Slots are handed out round robin
 * across budgets (each budget's requests in their order; {@link FairRunQueue}), each budget at most its limit at once
 * (the limit its newest request carries: the api looked it up when the run was triggered).
 */
@ApplicationScoped
public class RunRequestListener {

    private static final Logger LOG = Logger.getLogger(RunRequestListener.class);

    static final int IDLE_FETCH_WAIT_MS = 3000;
    // A poll returns as soon as a request arrives. Requests are read ahead of the slots into the fair queue
    // (FairRunQueue) up to fairness.read-ahead, and handed to the slots round robin across budgets, so that a request
    // of a budget behind another's flood is seen and run first; past the read-ahead the partitions are paused and the
    // loop polls anyway (nothing comes), so that the group never takes the partitions away for not polling.
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration POLL_PAUSED = Duration.ofMillis(200);
    // What one poll may return: enough to read a flood ahead quickly, few enough to hand the first ones out at once.
    static final int MAX_POLL_RECORDS = 500;
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

    /** A request read and waiting for a slot in its budget's turn. */
    record Request(ObjectId runId, String payload, String traceparent, TopicPartition partition, long offset) {
    }

    private FairRunQueue<Request> waiting;
    private Semaphore free;
    /** Hand-outs are made by one thread at a time; a wish for one meanwhile makes that thread look again. */
    private final AtomicBoolean handOutWanted = new AtomicBoolean();
    private final ReentrantLock handingOut = new ReentrantLock();

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
        free = new Semaphore(slots);
        waiting = new FairRunQueue<>();
        listener = Thread.ofPlatform().name("run-request-listener").daemon().start(() -> {
            try {
                loop();
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
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS,
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

    private void loop() throws InterruptedException {
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
                    // Read ahead but not started: the partition's next owner reads them again.
                    waiting.removeIf(request -> partitions.contains(request.partition()));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            int readAhead = config.fairness().readAhead();
            while (running) {
                boolean polled;
                if (waiting.size() < readAhead) {
                    if (!consumer.paused().isEmpty()) {
                        consumer.resume(consumer.paused());
                    }
                    polled = accept(consumer.poll(POLL));
                } else {
                    consumer.pause(consumer.assignment());
                    consumer.poll(POLL_PAUSED);
                    polled = false;
                }
                handOut();
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

    /** Puts the polled requests in their budgets' queues; whether any record came. */
    private boolean accept(ConsumerRecords<String, String> records) {
        for (ConsumerRecord<String, String> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (!ObjectId.isValid(record.key())) {
                offsets.skipped(partition, record.offset());
                continue;
            }
            offsets.taken(partition, record.offset());
            String budget = KafkaSends.header(record.headers(), RunTopics.BUDGET_HEADER).orElse("");
            waiting.add(budget, limitOf(record), new Request(new ObjectId(record.key()), record.value(),
                    KafkaSends.traceparent(record.headers()).orElse(null), partition, record.offset()));
        }
        return !records.isEmpty();
    }

    /** The budget's limit the request carries ({@link RunTopics#BUDGET_LIMIT_HEADER}); 0 (none) if absent. */
    private static int limitOf(ConsumerRecord<String, String> record) {
        String value = KafkaSends.header(record.headers(), RunTopics.BUDGET_LIMIT_HEADER).orElse("0");
        try {
            return Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Hands waiting requests to free slots, in their budgets' turns, until no slot is free or no budget may start
     * another run. Called by the consumer's thread after each poll and by each slot when its run ends; one thread
     * hands out at a time, and a call while it does makes it look once more, so a freed slot is never left idle.
     */
    private void handOut() {
        handOutWanted.set(true);
        while (handOutWanted.get() && handingOut.tryLock()) {
            try {
                handOutWanted.set(false);
                while (free.tryAcquire()) {
                    Optional<FairRunQueue.Taken<Request>> next = waiting.next();
                    if (next.isEmpty()) {
                        free.release();
                        break;
                    }
                    start(next.get());
                }
            } finally {
                handingOut.unlock();
            }
        }
    }

    private void start(FairRunQueue.Taken<Request> taken) {
        Request request = taken.request();
        runs.execute(() -> {
            try {
                worker.execute(request.runId(), request.payload(), request.traceparent(),
                        () -> offsets.finished(request.partition(), request.offset()));
            } catch (RuntimeException e) {
                LOG.warnf(e, "run %s failed in the worker", request.runId());
            } finally {
                offsets.finished(request.partition(), request.offset());
                waiting.ended(taken.budget());
                free.release();
                handOut();
            }
        });
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

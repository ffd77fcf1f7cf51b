package dev.tollgate.callback.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.tollgate.callback.config.CallbackConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Decides when attempts run. A new delivery is attempted at once (nothing on the trigger → callback path waits for a
 * timer tick), and a retry due soon is timed in memory for its due moment. The store is what makes a delivery
 * happen eventually, though: a poll finds and claims, in one batch, every due delivery, including later retries,
 * ones another replica left claimed when it died, and ones this process forgot when it restarted. Attempts run on
 * virtual threads, through per-receiver {@link HostLanes}.
 */
@ApplicationScoped
public class DeliveryScheduler {

    private static final Logger LOG = Logger.getLogger(DeliveryScheduler.class);
    private static final int POLL_BATCH = 1000;
    /** Retries due within this are timed in memory; later ones are left to the poll. */
    private static final Duration TIMED_HORIZON = Duration.ofMinutes(10);

    private final CallbackConfig config;
    private final DeliveryRepository deliveries;
    private final DeliveryAttempts attempts;
    private final DeliveryTiming timing;

    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("callback-attempt-", 0).factory());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("callback-retry-timer").daemon().factory());
    /** What a lane entry carries beyond the run's id: a delivery this process claimed, or a first attempt. */
    private sealed interface Job permits Claimed, First {
    }

    private record Claimed(Delivery delivery) implements Job {
    }

    private record First(FirstPost post) implements Job {
    }

    private HostLanes<Job> lanes;

    public DeliveryScheduler(CallbackConfig config, DeliveryRepository deliveries, DeliveryAttempts attempts,
            DeliveryTiming timing) {
        this.config = config;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.timing = timing;
    }

    @PostConstruct
    void createLanes() {
        lanes = new HostLanes<>(config.dispatch().perHostConcurrency(), config.dispatch().laneCapacity(), executor,
                this::attemptQuietly);
    }

    /** Attempt now if the receiver's lane has room, else as soon as it does (the attempt claims the delivery). */
    public void submit(String runId, String lane) {
        lanes.offer(lane, runId);
    }

    /**
     * Queues deliveries this process holds the claim on, for attempts that post without claiming again. Those the
     * lanes refuse (full) have their claims given up at once, in one update, for the poll of any replica to find.
     */
    public void submitClaimed(List<Delivery> claimed) {
        Map<String, List<String>> refusedByToken = new HashMap<>();
        for (Delivery d : claimed) {
            if (!lanes.offer(d.lane, d.runId, new Claimed(d))) {
                refusedByToken.computeIfAbsent(d.leaseToken, k -> new ArrayList<>()).add(d.runId);
            }
        }
        refusedByToken.forEach((token, ids) -> deliveries.release(ids, token));
    }

    /**
     * Queues first attempts of deliveries not stored yet ({@link FirstPost}). Answers those the lanes refused (full,
     * or the run is queued here already): they are to be stored without an attempt, for the due poll.
     */
    public List<FirstPost> submitFirst(List<FirstPost> posts) {
        List<FirstPost> refused = new ArrayList<>();
        for (FirstPost post : posts) {
            Delivery d = post.delivery();
            if (!lanes.offer(d.lane, d.runId, new First(post))) {
                refused.add(post);
            }
        }
        return refused;
    }

    /** A retry due within {@link #TIMED_HORIZON} is timed in memory; a later one is left to the poll. */
    public void retryAt(String runId, String lane, Instant at) {
        Duration wait = Duration.between(Instant.now(), at);
        if (wait.compareTo(TIMED_HORIZON) < 0) {
            timer.schedule(() -> submit(runId, lane), Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    @Scheduled(every = "${tollgate.callbacks.dispatch.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void pollDue() {
        try {
            Instant now = Instant.now();
            // Only what the lanes can take now, and nothing already queued or in flight here (a claim this process
            // holds whose lease ran out while it waited in its lane must stay with that lane entry's token).
            Map<String, Integer> room = new HashMap<>();
            List<Delivery> claimed = deliveries.claimDue(now, POLL_BATCH, due -> {
                if (lanes.holds(due.runId())) {
                    return false;
                }
                int left = room.computeIfAbsent(due.lane(), lanes::room);
                room.put(due.lane(), left - 1);
                return left > 0;
            }, UUID.randomUUID().toString(), now.plus(timing.lease()));
            submitClaimed(claimed);
        } catch (RuntimeException e) {
            LOG.warnf("claiming due deliveries failed, will retry: %s", e.toString());
        }
    }

    private void attemptQuietly(String lane, String runId, Job job) {
        try {
            Optional<Instant> next = switch (job) {
                case null -> attempts.attempt(runId);
                case Claimed claimed -> attempts.attempt(claimed.delivery());
                case First first -> attempts.attemptFirst(first.post());
            };
            next.ifPresent(at -> retryAt(runId, lane, at));
        } catch (RuntimeException e) {
            // The claim (if taken) expires and the poll tries again: nothing is lost.
            LOG.warnf("attempting delivery of run %s failed, will retry: %s", runId, e.toString());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        executor.shutdownNow();
    }
}

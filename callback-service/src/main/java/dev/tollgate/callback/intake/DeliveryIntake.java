package dev.tollgate.callback.intake;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.callback.config.CallbackConfig;
import dev.tollgate.callback.delivery.AttemptRecord;
import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.callback.delivery.DeliveryScheduler;
import dev.tollgate.callback.delivery.DeliveryStatus;
import dev.tollgate.callback.delivery.DeliveryTiming;
import dev.tollgate.callback.delivery.FirstPost;
import dev.tollgate.callback.outcomes.OutcomeRelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Turns terminal runs into their deliveries, posted first and stored once. For a Kafka batch: one read tells which
 * runs have their delivery already (a replayed event changes nothing), made only for the records that may be replays
 * ({@link FreshRecords}: most are first copies, and need none); the others, when their first attempt is due at
 * once, are posted straight away in their receivers' lanes ({@link FirstPost}); the intake waits for those posts at
 * most {@code dispatch.first-post-wait}, publishes the finished attempts' outcome events, then stores the whole batch
 * in one insert, each delivery with its first attempt (one write per delivery, where an insert-first design made an
 * insert, an update recording the attempt with its outcome, and a write removing the outcome once relayed). A POST
 * still under way then is stored claimed and records itself when done; a delivery the lanes had no room for is
 * stored pending, for the due poll.
 *
 * <p>A crash after a POST and before the insert leaves the batch's offsets uncommitted, so the events come again and
 * the callback is posted again, with the same {@code webhook-id} (receivers deduplicate on it): the window an
 * insert-first design had between the POST and the write recording it, and no wider than the wait above.
 */
@ApplicationScoped
public class DeliveryIntake {

    private static final Logger LOG = Logger.getLogger(DeliveryIntake.class);

    private final DeliveryRepository deliveries;
    private final DeliveryTiming timing;
    private final DeliveryScheduler scheduler;
    private final OutcomeRelay relay;
    private final CallbackConfig config;
    private final MeterRegistry metrics;

    /**
     * Runs whose deliveries a batch of this process is posting or storing. A replayed event consumed meanwhile (in
     * another batch, taken in parallel) finds its run here, or else stored, and is not posted again.
     */
    private final Set<String> inHand = ConcurrentHashMap.newKeySet();

    /** A batch between its posts and its insert. */
    public static final class Batch {
        final List<String> held = new ArrayList<>();
        final List<Delivery> unattempted = new ArrayList<>();
        final List<FirstPost> posting = new ArrayList<>();
        final long waitUntil;
        /** The finished attempts' outcomes reached Kafka (so a retried insert neither publishes nor stores them). */
        boolean outcomesPublished;

        Batch(long waitUntil) {
            this.waitUntil = waitUntil;
        }
    }

    /**
     * Runs whose deliveries this process stored lately (the newest {@value #RECENT_RUNS}): a run's event seen again
     * soon after is known to be a repeat without a read, even when it looks like a first copy ({@link FreshRecords}).
     */
    static final int RECENT_RUNS = 20_000;

    private final Cache<String, Boolean> recentlyStored = Caffeine.newBuilder().maximumSize(RECENT_RUNS).build();

    /** Counts the reads of the store for deliveries made already (one per batch with records that may be replays). */
    public static final String REPLAY_READS = "tollgate.callbacks.intake.replay.reads";

    private Counter replayReads;

    public DeliveryIntake(DeliveryRepository deliveries, DeliveryTiming timing, DeliveryScheduler scheduler,
            OutcomeRelay relay, CallbackConfig config, MeterRegistry metrics) {
        this.deliveries = deliveries;
        this.timing = timing;
        this.scheduler = scheduler;
        this.relay = relay;
        this.config = config;
        this.metrics = metrics;
    }

    @PostConstruct
    void countReads() {
        replayReads = metrics.counter(REPLAY_READS);
    }

    /** False if the run already had its delivery (a replayed event): nothing changes then. */
    public boolean open(TerminalRun run) {
        return store(start(prepare(List.of(run)), Set.of()), false) == 1;
    }

    /**
     * The runs' deliveries, one per run (a run listed twice keeps its first event). When the first attempt is due
     * at once, each comes claimed by this process (one token for the batch: a claim is always checked together
     * with its delivery's id).
     */
    public List<Delivery> prepare(List<TerminalRun> runs) {
        Instant now = Instant.now();
        Instant firstAttemptAt = timing.schedule().firstAttemptAt(now);
        boolean dueNow = !firstAttemptAt.isAfter(now);
        String token = dueNow ? "intake-" + UUID.randomUUID() : null;
        Map<String, Delivery> batch = new LinkedHashMap<>();
        for (TerminalRun run : runs) {
            if (batch.containsKey(run.runId())) {
                continue;
            }
            Delivery delivery = new Delivery();
            delivery.runId = run.runId();
            delivery.webhookId = Delivery.webhookIdOf(run.runId());
            delivery.userId = run.userId();
            delivery.url = run.callbackUrl();
            delivery.lane = laneOf(run.callbackUrl());
            delivery.body = run.body();
            delivery.eventType = run.eventType();
            delivery.traceparent = run.traceparent();
            delivery.runCreatedAt = run.runCreatedAt();
            delivery.status = DeliveryStatus.PENDING;
            delivery.createdAt = now;
            delivery.nextAttemptAt = firstAttemptAt;
            if (dueNow) {
                delivery.leaseToken = token;
                delivery.leaseUntil = now.plus(timing.lease());
            }
            batch.put(run.runId(), delivery);
        }
        return new ArrayList<>(batch.values());
    }

    /** {@link #start(List, Set)} with every run's event taken for a possible replay. */
    public Batch start(List<Delivery> prepared) {
        return start(prepared, Set.of());
    }

    /**
     * Leaves out the runs that have their delivery already, and starts the first attempts of the others that are due
     * now. {@code firstCopies}: runs whose event cannot be a replay ({@link FreshRecords}); the store is read (once)
     * only for the others, and only for those not stored lately by this process. Touches nothing in the store;
     * throws if the read failed (nothing was posted then).
     */
    public Batch start(List<Delivery> prepared, Set<String> firstCopies) {
        // In hand first, then the read: a run another batch stores meanwhile is then either still in hand or stored.
        List<Delivery> ours = prepared.stream().filter(d -> inHand.add(d.runId)).toList();
        Set<String> existing = new HashSet<>();
        List<String> toRead = new ArrayList<>();
        for (Delivery d : ours) {
            if (recentlyStored.getIfPresent(d.runId) != null) {
                existing.add(d.runId);
            } else if (!firstCopies.contains(d.runId)) {
                toRead.add(d.runId);
            }
        }
        try {
            if (!toRead.isEmpty()) {
                replayReads.increment();
                existing.addAll(deliveries.existing(toRead));
            }
        } catch (RuntimeException e) {
            ours.forEach(d -> inHand.remove(d.runId));
            throw e;
        }
        Batch batch = new Batch(System.nanoTime() + config.dispatch().firstPostWait().toNanos());
        List<FirstPost> posts = new ArrayList<>(ours.size());
        for (Delivery d : ours) {
            if (existing.contains(d.runId)) {
                inHand.remove(d.runId);
                continue;
            }
            batch.held.add(d.runId);
            if (d.leaseToken == null) {
                batch.unattempted.add(d); // not due yet: the poll finds it when it is
            } else {
                posts.add(new FirstPost(d));
            }
        }
        Set<FirstPost> refused = Set.copyOf(scheduler.submitFirst(posts));
        for (FirstPost post : posts) {
            if (refused.contains(post)) {
                // No room in its lane: stored unclaimed, for the due poll of any replica.
                post.delivery().leaseToken = null;
                post.delivery().leaseUntil = null;
                batch.unattempted.add(post.delivery());
            } else {
                batch.posting.add(post);
            }
        }
        return batch;
    }

    /**
     * Waits (what is left of the bounded wait) for the batch's first attempts, then stores every delivery in one
     * insert: with its attempt where it finished, claimed for its attempt where it is still posting. Then hands the
     * stored outcomes to the relay and times the retries. {@code retried}: the same batch failed to store before, so
     * some may be stored already (recognised by their claim or first attempt). Returns how many this call created.
     */
    public int store(Batch batch, boolean retried) {
        awaitPosts(batch);
        List<Delivery> documents = new ArrayList<>(batch.unattempted);
        Map<Delivery, FirstPost> handedOver = new IdentityHashMap<>();
        for (FirstPost post : batch.posting) {
            FirstPost.Attempted attempted = post.takeOrHandOver();
            Delivery d = post.delivery();
            if (attempted != null) {
                withFirstAttempt(d, attempted);
            } else if (post.handedOver()) {
                handedOver.put(d, post);
            } else {
                d.leaseToken = null; // the attempt could not be made: pending, for the due poll
                d.leaseUntil = null;
            }
            documents.add(d);
        }
        publishOutcomes(batch, documents);
        List<Delivery> created = deliveries.createAll(documents, retried);
        Set<Delivery> stored = Collections.newSetFromMap(new IdentityHashMap<>());
        stored.addAll(created);
        handedOver.forEach((d, post) -> post.stored(stored.contains(d)));
        // Stored now, by this call or before it (a duplicate the insert left as it was).
        batch.held.forEach(runId -> recentlyStored.put(runId, Boolean.TRUE));
        batch.held.forEach(inHand::remove);
        for (Delivery d : created) {
            if (!d.attempts.isEmpty() && d.status == DeliveryStatus.PENDING && d.nextAttemptAt != null) {
                scheduler.retryAt(d.runId, d.lane, d.nextAttemptAt);
            }
            if (!d.pendingOutcomes.isEmpty()) {
                relay.relay(d.runId, d.pendingOutcomes.getFirst());
            }
        }
        return created.size();
    }

    /**
     * Publishes the finished first attempts' outcomes before their deliveries are stored, so the insert leaves
     * nothing to publish and no removal write follows it. If Kafka does not take them, they are stored with their
     * deliveries as pending outcomes, for the relay, as any attempt's are. A crash before the insert publishes them
     * again with the events' posts, under the same ids (workflow-service's fold is idempotent).
     */
    private void publishOutcomes(Batch batch, List<Delivery> documents) {
        List<OutcomeRelay.Waiting> outcomes = new ArrayList<>();
        for (Delivery d : documents) {
            if (!d.pendingOutcomes.isEmpty()) {
                outcomes.add(new OutcomeRelay.Waiting(d.runId, d.pendingOutcomes.getFirst()));
            }
        }
        if (!batch.outcomesPublished) {
            try {
                relay.publishBeforeStoring(outcomes);
                batch.outcomesPublished = true;
            } catch (RuntimeException e) {
                LOG.warnf("publishing %d first attempts' outcomes failed; stored for the relay: %s", outcomes.size(),
                        e.toString());
                return;
            }
        }
        for (Delivery d : documents) {
            if (!d.attempts.isEmpty()) {
                d.pendingOutcomes = new ArrayList<>();
            }
        }
    }

    private static void awaitPosts(Batch batch) {
        if (batch.posting.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] finished = batch.posting.stream().map(FirstPost::finished)
                .toArray(CompletableFuture[]::new);
        long left = batch.waitUntil - System.nanoTime();
        try {
            CompletableFuture.allOf(finished).get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The slow ones are handed over to their attempts.
        } catch (ExecutionException e) {
            // Not completed exceptionally by anyone; nothing to do.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The delivery as its first attempt left it, with that attempt's outcome waiting for the relay. */
    private static void withFirstAttempt(Delivery d, FirstPost.Attempted attempted) {
        AttemptRecord attempt = attempted.attempt();
        d.status = attempt.result;
        d.attemptsMade = 1;
        d.roundAttempts = 1;
        d.nextAttemptAt = attempt.nextAttemptAt;
        d.deliveredAt = attempt.result == DeliveryStatus.DELIVERED ? attempt.attemptedAt : null;
        d.leaseToken = null;
        d.leaseUntil = null;
        d.attempts = new ArrayList<>(List.of(attempt));
        d.pendingOutcomes = new ArrayList<>(List.of(attempted.outcome()));
    }

    /** {@code scheme://host:port}, lower case: the receiver whose concurrency limit this delivery shares. */
    static String laneOf(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
            return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
        } catch (IllegalArgumentException e) {
            return "invalid";
        }
    }
}

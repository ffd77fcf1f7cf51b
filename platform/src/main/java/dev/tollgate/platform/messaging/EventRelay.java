package dev.tollgate.platform.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

/**
 * The transactional outbox's relay: publishes the events a state change wrote into its owner's document and removes
 * them once Kafka acknowledged them. The writer hands over the events it just wrote ({@link #handOver}), so nothing
 * reads the owner back; one relay thread takes everything handed over since its last round (up to
 * {@link Settings#roundSize}), sends it all and awaits the acks (nothing on the writer's path waits for a timer). An
 * owner whose sends were all acknowledged has its events removed; the others keep theirs for the sweep. Removals are
 * gathered for {@link Settings#removalDelay} so that one bulk write removes those of every owner published meanwhile:
 * nothing waits for the removal, and a crash before it only means the sweep publishes those events again, under the
 * same ids. At least once; consumers deduplicate by event id.
 *
 * <p>While an owner's hand-overs are in the relay's hands (queued, being sent, or published and waiting for their
 * removal) the sweep leaves that owner alone rather than publish its events a second time. A sweep finishes what a
 * crash or a failed send left: it publishes an owner's events only where the sweep before found the same events
 * waiting (a whole interval later, so no relay of another process is about to remove them), marked as possibly
 * republished.
 *
 * <p>Not a bean: a service builds one around its {@link OutboxStore}, starts it at startup and stops it at shutdown,
 * and schedules {@link #sweep}.
 */
public final class EventRelay<K, E> {

    private static final Logger LOG = Logger.getLogger(EventRelay.class);

    /** Owners one sweep reads at most: bounds its query; the next sweep takes the rest. */
    static final int SWEEP_LIMIT = 1000;

    /** How long a round waits for Kafka's acks; the sends still unacknowledged then count as failed. */
    private static final long ACK_TIMEOUT_SECONDS = 30;

    /** How long {@link #stop} waits for the relay thread to remove what it published. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    /**
     * How a service's relay behaves.
     *
     * @param threadName the relay thread's name
     * @param roundSize owners relayed per round at most: bounds one bulk write and one wait for acks
     * @param handOverBound hand-overs waiting at most; beyond it they are left to the sweep (Kafka down: memory stays
     *         bounded). Only for outboxes whose every waiting event the sweep finds.
     * @param linger how long a round waits for more hand-overs after the first before it sends (0: at once)
     * @param removalDelay how long published events stay before one bulk write removes them with those published
     *         meanwhile (0: right after each round)
     * @param holdUntilNext how long a hand-over made with {@link #handOverUntilNext} waits for its owner's next one
     *         (0: never)
     * @param maxHeld such hand-overs waiting at most; beyond that the oldest go alone
     * @param publishedMeter the counter of events Kafka acknowledged
     * @param removalWritesMeter the counter of bulk writes issued to remove published events
     */
    public record Settings(String threadName, int roundSize, int handOverBound, Duration linger,
            Duration removalDelay, Duration holdUntilNext, int maxHeld, String publishedMeter,
            String removalWritesMeter) {

        /** No linger, no holding, no bound on hand-overs. */
        public static Settings of(String threadName, int roundSize, Duration removalDelay, String publishedMeter,
                String removalWritesMeter) {
            return new Settings(threadName, roundSize, Integer.MAX_VALUE, Duration.ZERO, removalDelay, Duration.ZERO,
                    0, publishedMeter, removalWritesMeter);
        }

        public Settings withHandOverBound(int bound) {
            return new Settings(threadName, roundSize, bound, linger, removalDelay, holdUntilNext, maxHeld,
                    publishedMeter, removalWritesMeter);
        }

        public Settings withLinger(Duration wait) {
            return new Settings(threadName, roundSize, handOverBound, wait, removalDelay, holdUntilNext, maxHeld,
                    publishedMeter, removalWritesMeter);
        }

        public Settings withHoldUntilNext(Duration hold, int held) {
            return new Settings(threadName, roundSize, handOverBound, linger, removalDelay, hold, held,
                    publishedMeter, removalWritesMeter);
        }
    }

    /**
     * Events just written, in the form the store holds them, waiting for the next round. {@code kept}: published and
     * left where they are (the owner's next write replaces them). {@code untilNext}: may wait for the owner's next
     * hand-over, to go in its round.
     */
    private record HandOver<K, E>(K owner, List<E> events, boolean kept, boolean untilNext) {
    }

    /** A hand-over waiting for its owner's next one since {@code since}. */
    private record Held<K, E>(HandOver<K, E> handOver, long since) {
    }

    /**
     * Events published and not yet removed, gathered until {@code dueAt} so that one bulk write removes them all;
     * with the hand-overs of those owners, which stay in the relay's hands (the sweep leaves them alone) until then.
     */
    private static final class Gathered<K, E> {
        final Map<K, List<E>> byOwner = new LinkedHashMap<>();
        final Map<K, Integer> handOvers = new HashMap<>();
        long dueAt;

        void add(K owner, List<E> events, int ownerHandOvers, long due) {
            if (byOwner.isEmpty()) {
                dueAt = due;
            }
            byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).addAll(events);
            handOvers.merge(owner, ownerHandOvers, Integer::sum);
        }

        boolean isEmpty() {
            return byOwner.isEmpty();
        }
    }

    private final OutboxStore<K, E> store;
    private final Settings settings;
    private final long linger;
    private final long removalDelay;
    private final long holdUntilNext;
    private final Counter published;
    private final Counter removalWrites;
    private final BlockingQueue<HandOver<K, E>> handedOver = new LinkedBlockingQueue<>();
    /** Per owner, how many hand-overs are in the relay's hands: the sweep leaves those owners alone. */
    private final Map<K, Integer> inHand = new ConcurrentHashMap<>();
    /** Owners of kept hand-overs that failed to publish: the sweep does not find those, the service retries them. */
    private final Set<K> unpublishedKept = ConcurrentHashMap.newKeySet();
    /** The ids of the events the last sweep found waiting and did not publish: the next one publishes those left. */
    private volatile Set<Object> waitingAtLastSweep = Set.of();
    private volatile boolean running;
    private Thread relayThread;

    public EventRelay(OutboxStore<K, E> store, Settings settings, MeterRegistry metrics) {
        this.store = store;
        this.settings = settings;
        this.linger = settings.linger().toNanos();
        this.removalDelay = settings.removalDelay().toNanos();
        this.holdUntilNext = settings.holdUntilNext().toNanos();
        this.published = metrics.counter(settings.publishedMeter());
        this.removalWrites = metrics.counter(settings.removalWritesMeter());
    }

    /** Starts the relay thread. */
    public synchronized void start() {
        if (relayThread == null) {
            running = true;
            relayThread = Thread.ofPlatform().name(settings.threadName()).daemon().start(this::relayHandedOver);
        }
    }

    /**
     * Stops the relay thread after it removed what it published, if the store still answers (else the sweep of the
     * next start publishes it again). Held hand-overs stay in their owners, flagged, for that sweep.
     */
    public synchronized void stop() {
        Thread thread = relayThread;
        running = false;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Publishes {@code events}, which the caller has just written into the owner's document in the write that changed
     * its state; returns at once, the next round relays them. False if they were left to the sweep
     * ({@link Settings#handOverBound} hand-overs wait already).
     */
    public boolean handOver(K owner, List<E> events) {
        return handOver(new HandOver<>(owner, events, false, false));
    }

    /**
     * As {@link #handOver}, but the events may wait up to {@link Settings#holdUntilNext} for the owner's next
     * hand-over, so that both go to Kafka in one round and leave the owner in one update instead of two each.
     */
    public boolean handOverUntilNext(K owner, List<E> events) {
        return handOver(new HandOver<>(owner, events, false, holdUntilNext > 0));
    }

    /**
     * Publishes {@code events} and leaves them where they are: the write that answers them replaces them, so removing
     * them costs no write at all. The sweep does not find such events (they are not flagged): those that fail to
     * publish are returned by {@link #takeUnpublishedKept}, for the service to retry.
     */
    public boolean handOverKept(K owner, List<E> events) {
        boolean accepted = handOver(new HandOver<>(owner, events, true, false));
        if (!accepted) {
            unpublishedKept.add(owner);
        }
        return accepted;
    }

    private boolean handOver(HandOver<K, E> handOver) {
        if (handOver.events().isEmpty()) {
            return true;
        }
        if (handedOver.size() >= settings.handOverBound()) {
            return false;
        }
        inHand.merge(handOver.owner(), 1, Integer::sum);
        handedOver.add(handOver);
        return true;
    }

    /** The owners of kept hand-overs that failed to publish since the last call. */
    public List<K> takeUnpublishedKept() {
        List<K> owners = new ArrayList<>(unpublishedKept);
        unpublishedKept.removeAll(owners);
        return owners;
    }

    /** Whether events of the owner are in the relay's hands (handed over, not yet published or removed). */
    public boolean relaying(K owner) {
        return inHand.containsKey(owner);
    }

    private void relayHandedOver() {
        List<HandOver<K, E>> round = new ArrayList<>();
        // Hand-overs waiting for their owner's next one, oldest first.
        Map<K, Held<K, E>> held = new LinkedHashMap<>();
        Gathered<K, E> gathered = new Gathered<>();
        while (running) {
            try {
                long wakeAt = Long.MAX_VALUE;
                if (!held.isEmpty()) {
                    wakeAt = held.values().iterator().next().since() + holdUntilNext;
                }
                if (!gathered.isEmpty()) {
                    wakeAt = Math.min(wakeAt, gathered.dueAt);
                }
                HandOver<K, E> first = wakeAt == Long.MAX_VALUE ? handedOver.take()
                        : handedOver.poll(Math.max(0, wakeAt - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (first != null) {
                    round.add(first);
                    if (linger > 0) {
                        lingerFor(round);
                    }
                    handedOver.drainTo(round, settings.roundSize() - round.size());
                }
            } catch (InterruptedException stopping) {
                break;
            }
            List<HandOver<K, E>> toSend = takeRound(round, held);
            round.clear();
            if (!toSend.isEmpty()) {
                relay(toSend, gathered);
            }
            if (!gathered.isEmpty() && (gathered.dueAt - System.nanoTime() <= 0
                    || gathered.byOwner.size() >= settings.roundSize())) {
                removeGathered(gathered);
            }
        }
        removeGathered(gathered);
        held.keySet().forEach(owner -> released(owner, 1));
    }

    /**
     * What of {@code round} goes now: a held hand-over goes with its owner's next one (before it), a hand-over that
     * may wait for its owner's next is held, and those held too long (or beyond {@link Settings#maxHeld}) go alone.
     */
    private List<HandOver<K, E>> takeRound(List<HandOver<K, E>> round, Map<K, Held<K, E>> held) {
        long now = System.nanoTime();
        List<HandOver<K, E>> toSend = new ArrayList<>(round.size() + 1);
        for (HandOver<K, E> h : round) {
            Held<K, E> earlier = held.remove(h.owner());
            if (earlier != null) {
                toSend.add(earlier.handOver());
            }
            if (h.untilNext()) {
                held.put(h.owner(), new Held<>(h, now));
            } else {
                toSend.add(h);
            }
        }
        for (var it = held.values().iterator(); it.hasNext(); ) {
            Held<K, E> h = it.next();
            if (held.size() <= settings.maxHeld() && now - h.since() < holdUntilNext) {
                break; // oldest first: the rest are younger
            }
            toSend.add(h.handOver());
            it.remove();
        }
        return toSend;
    }

    private void lingerFor(List<HandOver<K, E>> round) throws InterruptedException {
        long until = System.nanoTime() + linger;
        for (long left = linger; left > 0 && round.size() < settings.roundSize(); left = until - System.nanoTime()) {
            HandOver<K, E> more = handedOver.poll(left, TimeUnit.NANOSECONDS);
            if (more == null) {
                break;
            }
            round.add(more);
        }
    }

    /**
     * Publishes a round and hands what Kafka acknowledged to {@code gathered} for removal, except kept events. The
     * owners whose events failed to publish leave the relay's hands now, for the sweep.
     */
    private void relay(List<HandOver<K, E>> toSend, Gathered<K, E> gathered) {
        Map<K, List<E>> byOwner = new LinkedHashMap<>();
        Map<K, List<E>> toRemove = new LinkedHashMap<>();
        Map<K, Integer> handOvers = new LinkedHashMap<>();
        for (HandOver<K, E> h : toSend) {
            byOwner.computeIfAbsent(h.owner(), o -> new ArrayList<>()).addAll(h.events());
            handOvers.merge(h.owner(), 1, Integer::sum);
            if (!h.kept()) {
                toRemove.computeIfAbsent(h.owner(), o -> new ArrayList<>()).addAll(h.events());
            }
        }
        Map<K, List<E>> acked = publish(byOwner, false);
        toSend.stream().filter(h -> h.kept() && !acked.containsKey(h.owner()))
                .forEach(h -> unpublishedKept.add(h.owner()));
        long due = System.nanoTime() + removalDelay;
        handOvers.forEach((owner, n) -> {
            List<E> events = toRemove.get(owner);
            if (events != null && acked.containsKey(owner)) {
                gathered.add(owner, events, n, due);
            } else {
                released(owner, n); // nothing to remove (kept), or not published: left for the sweep
            }
        });
    }

    private void removeGathered(Gathered<K, E> gathered) {
        if (gathered.isEmpty()) {
            return;
        }
        try {
            removeQuietly(gathered.byOwner);
        } finally {
            gathered.handOvers.forEach(this::released);
            gathered.byOwner.clear();
            gathered.handOvers.clear();
        }
    }

    private void released(K owner, int handOvers) {
        inHand.computeIfPresent(owner, (o, n) -> n > handOvers ? n - handOvers : null);
    }

    /**
     * Sends every event of every owner, waits for Kafka's acks, and returns the events of each owner whose sends were
     * all acknowledged; an owner with a failed send is left out (its events wait for the sweep). Never throws.
     * {@code republished}: the events were read back from the store, so some may have reached Kafka before.
     */
    public Map<K, List<E>> publish(Map<K, ? extends List<E>> round, boolean republished) {
        Map<K, CompletableFuture<Void>> acked = new LinkedHashMap<>();
        round.forEach((owner, events) -> {
            try {
                CompletableFuture<?>[] sends = new CompletableFuture<?>[events.size()];
                for (int i = 0; i < sends.length; i++) {
                    sends[i] = store.send(owner, events.get(i), republished);
                }
                acked.put(owner, CompletableFuture.allOf(sends));
            } catch (RuntimeException e) {
                acked.put(owner, CompletableFuture.failedFuture(e));
            }
        });
        try {
            CompletableFuture.allOf(acked.values().toArray(CompletableFuture[]::new))
                    .get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (ExecutionException | TimeoutException someFailed) {
            // the owners whose sends all completed are still published; the others wait for the sweep
        }
        Map<K, List<E>> done = new LinkedHashMap<>();
        int failed = 0;
        for (var e : acked.entrySet()) {
            if (e.getValue().isDone() && !e.getValue().isCompletedExceptionally()) {
                List<E> events = List.copyOf(round.get(e.getKey()));
                done.put(e.getKey(), events);
                published.increment(events.size());
            } else {
                failed++;
            }
        }
        if (failed > 0) {
            LOG.warnf("%s: publishing the events of %d owner(s) failed; they wait for the sweep",
                    settings.threadName(), failed);
        }
        return done;
    }

    /**
     * Publishes the round, then removes what Kafka acknowledged (one bulk write); returns that. Throws if the removal
     * failed (the sweep publishes those events again).
     */
    public Map<K, List<E>> publishAndRemove(Map<K, ? extends List<E>> round, boolean republished) {
        Map<K, List<E>> done = publish(round, republished);
        remove(done);
        return done;
    }

    private void remove(Map<K, List<E>> done) {
        if (!done.isEmpty()) {
            removalWrites.increment(store.removePublished(done));
        }
    }

    private void removeQuietly(Map<K, List<E>> done) {
        try {
            remove(done);
        } catch (RuntimeException e) {
            LOG.warnf("%s: removing the published events of %d owner(s) failed; the sweep publishes them again: %s",
                    settings.threadName(), done.size(), e.toString());
        }
    }

    /**
     * Publishes what a crash or a failed send left waiting; normally finds nothing. Reads the flagged owners (their
     * events with them), leaves alone those in the relay's hands, and publishes, in rounds, the events the sweep
     * before also found waiting (the leading ones: an owner's events stay in order). Owners flagged with nothing
     * waiting (a relay stopped between removing events and the flag) have their flag cleared with the first round's
     * removal.
     */
    public void sweep() {
        try {
            Set<Object> seenBefore = waitingAtLastSweep;
            Set<Object> seenNow = new HashSet<>();
            Map<K, List<E>> due = new LinkedHashMap<>();
            Map<K, List<E>> removals = new LinkedHashMap<>();
            store.waitingForSweep(SWEEP_LIMIT).forEach((owner, events) -> {
                if (inHand.containsKey(owner)) {
                    return; // the relay thread has these events and removes them once published
                }
                if (events.isEmpty()) {
                    removals.put(owner, List.of());
                    return;
                }
                int seen = 0;
                while (seen < events.size() && seenBefore.contains(store.eventId(events.get(seen)))) {
                    seen++;
                }
                if (seen > 0) {
                    due.put(owner, events.subList(0, seen));
                }
                // maybe another process's, published and about to be removed: published if still there next time
                events.subList(seen, events.size()).forEach(e -> seenNow.add(store.eventId(e)));
            });
            waitingAtLastSweep = seenNow;
            List<K> owners = due.isEmpty() ? List.of() : store.claimForSweep(due.keySet());
            for (int from = 0; from < owners.size(); from += settings.roundSize()) {
                Map<K, List<E>> round = new LinkedHashMap<>();
                owners.subList(from, Math.min(owners.size(), from + settings.roundSize()))
                        .forEach(owner -> round.put(owner, due.get(owner)));
                removals.putAll(publish(round, true));
                removeQuietly(removals);
                removals.clear();
            }
            removeQuietly(removals);
        } catch (RuntimeException e) {
            LOG.warnf("%s: the sweep failed, the next one retries: %s", settings.threadName(), e.toString());
        }
    }
}

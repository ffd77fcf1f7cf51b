package dev.tollgate.credits.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.credits.config.CreditsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.bson.types.ObjectId;

/**
 * Every ledger operation as read → decide ({@link Account}, pure) → conditional write, retried when another writer
 * changed the account in between. Idempotency comes from looking for the operation's key in the account (open
 * holds, grants), in its pending facts, and in the settled collections, before deciding anything new.
 */
@ApplicationScoped
public class LedgerService {

    private final AccountRepository store;
    private final Event<FactsWritten> factsWritten;
    /** Counted once per purchase transaction written: a replayed capture writes nothing and counts nothing. */
    private final Counter charged;
    private final CreditsConfig config;
    private final Clock clock;

    public LedgerService(AccountRepository store, Event<FactsWritten> factsWritten, CreditsConfig config, Clock clock,
            MeterRegistry metrics) {
        this.store = store;
        this.factsWritten = factsWritten;
        this.config = config;
        this.clock = clock;
        this.charged = Counter.builder("tollgate.credits.charged")
                .description("Credits charged for purchases (captured holds), as written to the ledger")
                .register(metrics);
    }

    public record GrantResult(GrantState grant, boolean created) {
    }

    public record History(List<GrantState> grants, List<LedgerTransaction> transactions) {
    }

    public AccountRepository.Snapshot snapshot(String userId) {
        return store.load(userId);
    }

    public Instant now() {
        return clock.instant();
    }

    public GrantResult grant(String userId, String idempotencyKey, long amount, String creditType,
            Map<String, Object> sourceMetadata, Instant expiresAt) {
        String grantId = new ObjectId().toHexString();
        return update(userId, snapshot -> {
            Optional<GrantState> existing = snapshot.account().grantByIdempotencyKey(idempotencyKey);
            if (existing.isPresent()) {
                return Decision.answer(new GrantResult(existing.get(), false));
            }
            Account.Change change = snapshot.account().grant(grantId, idempotencyKey, amount, creditType,
                    sourceMetadata, expiresAt, now());
            return Decision.write(change, new GrantResult(change.after().grant(grantId).orElseThrow(), true));
        });
    }

    public LedgerTransaction revoke(String grantId, String idempotencyKey, Long credits) {
        String userId = store.ownerOfGrant(grantId).orElseThrow(() -> LedgerException.grantNotFound(grantId));
        String txId = "revocation:" + idempotencyKey;
        return update(userId, snapshot -> {
            GrantState grant = snapshot.account().grant(grantId).orElseThrow();
            if (grant.revocationKeys().contains(idempotencyKey)) {
                return Decision.answer(snapshot.pendingTransaction(txId)
                        .or(() -> store.storedTransaction(txId)).orElseThrow());
            }
            Account.Change change = snapshot.account().revoke(grantId, idempotencyKey, credits, now());
            return Decision.write(change, change.transactions().getFirst());
        });
    }

    public HoldRecord placeHold(String userId, String holdId, long amount, Duration ttl) {
        return update(userId, snapshot -> {
            Optional<HoldRecord> known = knownHold(snapshot, holdId);
            if (known.isPresent()) {
                HoldRecord h = known.get();
                if (h.amount() != amount) {
                    throw new LedgerException(409, "idempotency_key_reused",
                            "Hold " + holdId + " exists for " + h.amount() + " credits, not " + amount);
                }
                if (h.state() == HoldState.REFUSED) {
                    throw LedgerException.insufficientCredits(amount, snapshot.account().available(now()));
                }
                return Decision.answer(h);
            }
            Instant now = now();
            try {
                Account.Change change = snapshot.account().placeHold(holdId, amount, ttl, now);
                return Decision.write(change, open(userId, change.after().hold(holdId).orElseThrow()));
            } catch (LedgerException e) {
                // Recorded only from the store's copy: a remembered one may miss another replica's grant.
                if ("insufficient_credits".equals(e.code()) && snapshot.fromStore()) {
                    store.recordRefusal(new HoldRecord(holdId, userId, HoldState.REFUSED, amount, now, now, now,
                            "insufficient_credits", null));
                }
                throw e;
            }
        });
    }

    public HoldRecord capture(String userId, String holdId) {
        return settle(userId, holdId, HoldState.CAPTURED, account -> account.capture(holdId, now()));
    }

    public HoldRecord release(String userId, String holdId, String reason) {
        return settle(userId, holdId, HoldState.RELEASED, account -> account.release(holdId, reason, now()));
    }

    public HoldRecord hold(String userId, String holdId) {
        return knownHold(store.load(userId), holdId).orElseThrow(() -> LedgerException.holdNotFound(holdId));
    }

    /** Writes the expiration of every grant that has expired by now. */
    public void expireGrants(String userId) {
        update(userId, snapshot -> {
            Account.Change change = snapshot.account().expire(now());
            return change.after().equals(snapshot.account()) ? Decision.answer(null) : Decision.write(change, null);
        });
    }

    /** Releases every hold of the user whose TTL has passed. */
    public void releaseExpiredHolds(String userId) {
        Instant now = now();
        for (OpenHold h : store.load(userId).account().holds()) {
            if (h.isExpiredAt(now)) {
                try {
                    release(userId, h.id(), "expired");
                } catch (LedgerException alreadySettled) {
                    // captured or released by its owner in the meantime: nothing to do
                }
            }
        }
    }

    public History history(String userId, int limit) {
        AccountRepository.Snapshot snapshot = store.load(userId);
        List<GrantState> grants = snapshot.account().grants().stream()
                .sorted(Comparator.comparing(GrantState::createdAt).thenComparing(GrantState::id).reversed())
                .limit(limit).toList();
        // Pending facts are newer than anything copied out; merge by id in case a copy is mid-flight.
        Map<String, LedgerTransaction> byId = new LinkedHashMap<>();
        snapshot.pendingTransactions().forEach(t -> byId.put(t.id(), t));
        store.recentTransactions(userId, limit).forEach(t -> byId.putIfAbsent(t.id(), t));
        List<LedgerTransaction> transactions = new ArrayList<>(byId.values());
        transactions.sort(Comparator.comparingLong(LedgerTransaction::sequence).reversed());
        return new History(grants, transactions.subList(0, Math.min(limit, transactions.size())));
    }

    private HoldRecord settle(String userId, String holdId, HoldState target,
            Function<Account, Account.Change> operation) {
        return update(userId, snapshot -> {
            if (snapshot.account().hold(holdId).isPresent()) {
                Account.Change change = operation.apply(snapshot.account());
                return Decision.write(change, change.settledHolds().getFirst());
            }
            HoldRecord settled = snapshot.pendingHold(holdId).or(() -> settledHoldOf(userId, holdId))
                    .orElseThrow(() -> LedgerException.holdNotFound(holdId));
            if (settled.state() == target) {
                return Decision.answer(settled);
            }
            throw new LedgerException(409, "hold_already_" + settled.state().wireName(),
                    "Hold " + holdId + " is already " + settled.state().wireName());
        });
    }

    private Optional<HoldRecord> knownHold(AccountRepository.Snapshot snapshot, String holdId) {
        String userId = snapshot.account().userId();
        return snapshot.account().hold(holdId).map(h -> open(userId, h))
                .or(() -> snapshot.pendingHold(holdId))
                .or(() -> settledHoldOf(userId, holdId));
    }

    /** A hold key belongs to one user: another user's hold with the same key is not theirs to see. */
    private Optional<HoldRecord> settledHoldOf(String userId, String holdId) {
        return store.settledHold(holdId).filter(h -> h.userId().equals(userId));
    }

    private static HoldRecord open(String userId, OpenHold h) {
        return new HoldRecord(h.id(), userId, HoldState.HELD, h.amount(), h.createdAt(), h.expiresAt(), null, null, null);
    }

    private record Decision<T>(Account.Change change, T result) {
        static <T> Decision<T> answer(T result) {
            return new Decision<>(null, result);
        }

        static <T> Decision<T> write(Account.Change change, T result) {
            return new Decision<>(change, result);
        }
    }

    /**
     * Writers to one account inside this process take turns: on a hot account, optimistic retries would otherwise
     * burn the store's capacity on updates that lose. The version check still guards against other instances.
     */
    private final ReentrantLock[] accountStripes = stripes(256);

    private static ReentrantLock[] stripes(int n) {
        ReentrantLock[] locks = new ReentrantLock[n];
        for (int i = 0; i < n; i++) {
            locks[i] = new ReentrantLock();
        }
        return locks;
    }

    /** At most this many waiting changes to one account are written together. */
    static final int MAX_BATCH = 64;

    /** Changes waiting for their account's turn, per user. */
    private final ConcurrentHashMap<String, ConcurrentLinkedQueue<Waiting<?>>> waiting = new ConcurrentHashMap<>();

    /**
     * One caller's operation on an account, completed by whichever caller writes the batch it joined. Its fields are
     * written and read under the account's stripe lock only.
     */
    private static final class Waiting<T> {
        final Function<AccountRepository.Snapshot, Decision<T>> decide;
        Decision<T> decision;
        T result;
        RuntimeException failure;
        boolean done;

        Waiting(Function<AccountRepository.Snapshot, Decision<T>> decide) {
            this.decide = decide;
        }

        void succeed(T value) {
            result = value;
            done = true;
        }

        void fail(RuntimeException e) {
            failure = e;
            done = true;
        }

        T outcome() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    /**
     * Runs one operation on the account. Operations on the same account that arrive while another is being written
     * wait on the account's lock; the first of them to get it decides all of them in turn, each on the account as the
     * previous one left it, and stores them in one conditional write (one round trip and one commit of the store for
     * the whole batch), then the others find their outcome ready. Everything a batch cannot settle that way (an
     * answer or a refusal decided on anything but the store's own copy, a lost race with another replica) is decided
     * again alone, as before.
     */
    private <T> T update(String userId, Function<AccountRepository.Snapshot, Decision<T>> decide) {
        Waiting<T> mine = new Waiting<>(decide);
        ConcurrentLinkedQueue<Waiting<?>> queue = waiting.computeIfAbsent(userId, u -> new ConcurrentLinkedQueue<>());
        queue.add(mine);
        ReentrantLock lock = accountStripes[Math.floorMod(userId.hashCode(), accountStripes.length)];
        lock.lock();
        try {
            if (!mine.done) {
                // Our own queue (even if a newer one replaced it in the map): nothing queued is ever left behind.
                writeBatch(userId, queue);
            }
        } finally {
            lock.unlock();
        }
        return mine.outcome();
    }

    private void writeBatch(String userId, ConcurrentLinkedQueue<Waiting<?>> queue) {
        List<Waiting<?>> batch = new ArrayList<>();
        for (Waiting<?> w; batch.size() < MAX_BATCH && (w = queue.poll()) != null;) {
            batch.add(w);
        }
        if (queue.isEmpty()) {
            waiting.remove(userId, queue);
        }
        try {
            decideAndWriteTogether(userId, batch);
        } finally {
            for (Waiting<?> w : batch) {
                if (!w.done) {
                    alone(userId, w);
                }
            }
        }
    }

    private void decideAndWriteTogether(String userId, List<Waiting<?>> batch) {
        AccountRepository.Snapshot remembered = lastWritten.getIfPresent(userId);
        lastWritten.invalidate(userId);
        AccountRepository.Snapshot base = remembered != null ? remembered : store.load(userId);
        AccountRepository.Snapshot current = base;
        List<Waiting<?>> writers = new ArrayList<>();
        List<Account.Change> changes = new ArrayList<>();
        for (Waiting<?> w : batch) {
            boolean onTheStoresCopy = current == base && base.fromStore();
            try {
                Decision<?> decision = decide(w, current);
                if (decision.change() != null) {
                    writers.add(w);
                    changes.add(decision.change());
                    current = store.afterWrite(current, decision.change());
                } else if (onTheStoresCopy) {
                    complete(w);
                }
                // else: an answer read from a copy not (yet) in the store: decided again alone, after the batch
            } catch (RuntimeException e) {
                if (onTheStoresCopy) {
                    w.fail(e);
                }
            }
        }
        if (writers.isEmpty()) {
            return;
        }
        Account.Change together = together(changes);
        boolean stored;
        try {
            stored = store.compareAndSet(base.account(), together);
        } catch (RuntimeException e) {
            writers.forEach(w -> w.fail(e)); // as unknown as a single write's failure would be: the callers retry
            return;
        }
        if (stored) {
            written(userId, base, together);
            writers.forEach(LedgerService::complete);
        }
        // else: another replica wrote first; every writer is decided again alone on a fresh read
    }

    private static <T> Decision<T> decide(Waiting<T> w, AccountRepository.Snapshot snapshot) {
        w.decision = w.decide.apply(snapshot);
        return w.decision;
    }

    private static <T> void complete(Waiting<T> w) {
        w.succeed(w.decision.result());
    }

    private <T> void alone(String userId, Waiting<T> w) {
        try {
            w.succeed(updateOptimistically(userId, w.decide));
        } catch (RuntimeException e) {
            w.fail(e);
        }
    }

    /** Several changes decided in turn on one account as one: the last state, every fact in order. */
    private static Account.Change together(List<Account.Change> changes) {
        if (changes.size() == 1) {
            return changes.getFirst();
        }
        List<LedgerTransaction> transactions = new ArrayList<>();
        List<HoldRecord> settled = new ArrayList<>();
        for (Account.Change c : changes) {
            transactions.addAll(c.transactions());
            settled.addAll(c.settledHolds());
        }
        return new Account.Change(changes.getLast().after(), transactions, settled);
    }

    /**
     * The account as this process last wrote it, per user, so that the next change to a busy account is decided
     * without reading it again: the conditional write on the version is what makes that safe (if another replica
     * wrote in between, the write matches nothing and the change is decided again on a fresh read). Only changes are
     * decided on it; an answer without a write, or a refusal, is always decided again on the store's copy. Used only
     * under the account's stripe lock.
     */
    private Cache<String, AccountRepository.Snapshot> lastWritten;

    private static final int MAX_REMEMBERED_FACTS = 200;

    @PostConstruct
    void createAccountCache() {
        lastWritten = Caffeine.newBuilder().expireAfterWrite(config.accountCache().ttl())
                .maximumSize(config.accountCache().maxEntries()).build();
    }

    private <T> T updateOptimistically(String userId, Function<AccountRepository.Snapshot, Decision<T>> decide) {
        AccountRepository.Snapshot remembered = lastWritten.getIfPresent(userId);
        if (remembered != null) {
            lastWritten.invalidate(userId);
            Decision<T> decision = decideOnRemembered(remembered, decide);
            if (decision != null && store.compareAndSet(remembered.account(), decision.change())) {
                written(userId, remembered, decision.change());
                return decision.result();
            }
        }
        for (int attempt = 0; attempt < config.maxConflictRetries(); attempt++) {
            AccountRepository.Snapshot snapshot = store.load(userId);
            Decision<T> decision = decide.apply(snapshot);
            if (decision.change() == null) {
                return decision.result();
            }
            if (store.compareAndSet(snapshot.account(), decision.change())) {
                written(userId, snapshot, decision.change());
                return decision.result();
            }
            if (attempt > 2) {
                // Many writers on one hot account: spread the retries out a little.
                Thread.onSpinWait();
                if (attempt > 8) {
                    sleepQuietly(ThreadLocalRandom.current().nextInt(1, 1 + Math.min(attempt, 20)));
                }
            }
        }
        throw new LedgerException(503, "account_busy", "The account is changing too fast; try again");
    }

    /** The change decided on the remembered account, or null when the decision must be taken on the store's copy. */
    private static <T> Decision<T> decideOnRemembered(AccountRepository.Snapshot remembered,
            Function<AccountRepository.Snapshot, Decision<T>> decide) {
        try {
            Decision<T> decision = decide.apply(remembered);
            return decision.change() == null ? null : decision;
        } catch (RuntimeException refusedOnAPossiblyOldCopy) {
            return null;
        }
    }

    private void written(String userId, AccountRepository.Snapshot before, Account.Change change) {
        AccountRepository.Snapshot after = store.afterWrite(before, change);
        // The remembered pending lists only grow (the relay's removals are not seen here): past a bound, the next
        // change reads the account again, which also picks up what the relay cleared.
        if (after.pendingTransactions().size() + after.pendingHolds().size() <= MAX_REMEMBERED_FACTS) {
            lastWritten.put(userId, after);
        }
        if (!change.transactions().isEmpty() || !change.settledHolds().isEmpty()) {
            factsWritten.fire(new FactsWritten(userId));
        }
        for (LedgerTransaction transaction : change.transactions()) {
            if (transaction.type() == TransactionType.PURCHASE) {
                charged.increment(Math.abs(transaction.amount()));
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis); // back-off between optimistic retries, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.tollgate.credits.outbox;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.credits.ledger.AccountRepository;
import dev.tollgate.credits.ledger.HoldRecord;
import dev.tollgate.credits.ledger.LedgerTransaction;
import dev.tollgate.platform.messaging.KafkaSends;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Moves the facts an account change produced out of the account document: into the {@code transactions} and
 * {@code holds} collections and onto {@code credits.transactions}, then removes them from the account. Runs right
 * after each change (nothing waits for a timer) and from a periodic sweep that finishes what a crash interrupted.
 * At least once: every step is idempotent, and consumers deduplicate by event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final AccountRepository store;
    private final ObjectMapper json;

    // Emitters are injected into fields: that is where their @OnOverflow buffer is known to apply.
    @Inject
    @Channel("credit-transactions")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> events;

    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    private final ReentrantLock[] stripes = new ReentrantLock[64];
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("credits-outbox-", 0).factory());

    public OutboxRelay(AccountRepository store, ObjectMapper json) {
        this.store = store;
        this.json = json;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Flushes the user's pending facts soon, coalescing bursts for the same user into one flush. */
    public void schedule(String userId) {
        if (scheduled.add(userId)) {
            executor.execute(() -> {
                scheduled.remove(userId);
                flushQuietly(userId);
            });
        }
    }

    @Scheduled(every = "${tollgate.credits.outbox.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void sweep() {
        for (String userId : store.accountsWithPendingFacts(1000)) {
            flushQuietly(userId);
        }
    }

    public void flush(String userId) {
        ReentrantLock lock = stripes[Math.floorMod(userId.hashCode(), stripes.length)];
        lock.lock();
        try {
            AccountRepository.Snapshot snapshot = store.load(userId);
            List<LedgerTransaction> txs = snapshot.pendingTransactions();
            List<HoldRecord> holds = snapshot.pendingHolds();
            if (txs.isEmpty() && holds.isEmpty() && !snapshot.outboxPending()) {
                return;
            }
            store.copyOut(txs, holds);
            publish(txs);
            store.removePending(userId, snapshot.account().version(), txs.stream().map(LedgerTransaction::id).toList(),
                    holds.stream().map(HoldRecord::id).toList());
        } finally {
            lock.unlock();
        }
    }

    private void flushQuietly(String userId) {
        try {
            flush(userId);
        } catch (RuntimeException e) {
            // Left pending in the account: the sweep tries again.
            LOG.warnf("outbox flush for %s failed, will retry: %s", userId, e.toString());
        }
    }

    private void publish(List<LedgerTransaction> txs) {
        KafkaSends.awaitAll(txs.stream().map(this::send).toList());
    }

    private CompletableFuture<Void> send(LedgerTransaction tx) {
        try {
            return KafkaSends.send(events, tx.userId(), json.writeValueAsString(TransactionEvent.of(tx)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdown();
    }
}

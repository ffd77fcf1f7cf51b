package dev.tollgate.credits.sweeps;

import dev.tollgate.credits.ledger.AccountRepository;
import dev.tollgate.credits.ledger.LedgerException;
import dev.tollgate.credits.ledger.LedgerService;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Time-driven ledger work. Neither sweep is needed for correctness of balances (expired credit is never counted,
 * whatever the sweep has done); they write the {@code expiration} transactions and give back credit held by
 * purchases that never finished (a caller that died between hold and capture).
 */
@ApplicationScoped
public class LedgerSweeps {

    private static final Logger LOG = Logger.getLogger(LedgerSweeps.class);

    private final AccountRepository store;
    private final LedgerService ledger;

    public LedgerSweeps(AccountRepository store, LedgerService ledger) {
        this.store = store;
        this.ledger = ledger;
    }

    @Scheduled(every = "${tollgate.credits.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void expireGrants() {
        for (String userId : store.accountsWithGrantsExpiredBy(ledger.now(), 1000)) {
            try {
                ledger.expireGrants(userId);
            } catch (LedgerException e) {
                LOG.warnf("expiring grants of %s: %s", userId, e.getMessage());
            }
        }
    }

    @Scheduled(every = "${tollgate.credits.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void releaseExpiredHolds() {
        for (String userId : store.accountsWithHoldsExpiredBy(ledger.now(), 1000)) {
            try {
                ledger.releaseExpiredHolds(userId);
            } catch (LedgerException e) {
                LOG.warnf("releasing expired holds of %s: %s", userId, e.getMessage());
            }
        }
    }
}

package dev.tollgate.credits.ledger;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Test helper: waits until the relay has copied every pending fact of some users out of their accounts. */
@ApplicationScoped
public class OutboxRelayDrain {

    @Inject
    AccountRepository store;

    public void untilEmpty(Collection<String> users) {
        await().atMost(Duration.ofSeconds(30)).until(() -> users.stream().allMatch(u -> {
            AccountRepository.Snapshot s = store.load(u);
            return s.pendingTransactions().isEmpty() && s.pendingHolds().isEmpty();
        }));
    }

    public long transactionSum(String user) {
        return store.recentTransactions(user, Integer.MAX_VALUE).stream().mapToLong(LedgerTransaction::amount).sum();
    }
}

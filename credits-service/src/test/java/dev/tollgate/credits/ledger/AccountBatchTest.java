package dev.tollgate.credits.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Holds placed on one account at the same moment are written in batches (fewer account versions than holds), and a
 * batch decides each hold on the account as the previous ones left it: exactly what the credit covers is held, the
 * rest refused, and every refusal (and only a refusal) is recorded.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(AccountBatchTest.NoSweeps.class)
class AccountBatchTest {

    public static class NoSweeps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false");
        }
    }

    static final int CLIENTS = 16;
    static final int HOLDS_EACH = 8;
    static final long AMOUNT = 10;
    static final long GRANTED = 1000; // covers 100 of the 128 holds

    @Inject
    LedgerService ledger;

    @Inject
    AccountRepository store;

    @Test
    void simultaneousHoldsOnOneAccountAreWrittenTogetherAndNeverOverdraw() throws Exception {
        String user = "batch-" + UUID.randomUUID();
        ledger.grant(user, UUID.randomUUID().toString(), GRANTED, "admin_grant", Map.of(), null);
        long versionBefore = store.load(user).account().version();

        Map<String, String> outcomes = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(clients.submit(() -> {
                start.await();
                for (int i = 0; i < HOLDS_EACH; i++) {
                    String hold = UUID.randomUUID().toString();
                    try {
                        outcomes.put(hold, ledger.placeHold(user, hold, AMOUNT, Duration.ofMinutes(10)).state().name());
                    } catch (LedgerException e) {
                        outcomes.put(hold, e.code());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();

        long held = outcomes.values().stream().filter("HELD"::equals).count();
        long refused = outcomes.values().stream().filter("insufficient_credits"::equals).count();
        assertEquals(CLIENTS * HOLDS_EACH, outcomes.size());
        assertEquals(GRANTED / AMOUNT, held, "exactly what the credit covers is held: " + outcomes.values());
        assertEquals(CLIENTS * HOLDS_EACH - held, refused);

        AccountRepository.Snapshot after = store.load(user);
        assertEquals(0, after.account().available(ledger.now()));
        assertEquals(held, after.account().holds().size());
        for (Map.Entry<String, String> o : outcomes.entrySet()) {
            boolean open = after.account().hold(o.getKey()).isPresent();
            var record = store.settledHold(o.getKey());
            if ("HELD".equals(o.getValue())) {
                assertTrue(open && record.isEmpty(), "held " + o.getKey());
            } else {
                assertTrue(!open && record.orElseThrow().state() == HoldState.REFUSED, "refused " + o.getKey());
            }
        }
        long writes = after.account().version() - versionBefore;
        assertTrue(writes < held, held + " holds took " + writes + " account writes: none was batched");
    }
}

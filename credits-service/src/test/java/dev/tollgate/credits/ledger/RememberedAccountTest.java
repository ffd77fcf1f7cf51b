package dev.tollgate.credits.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import dev.tollgate.localstack.testing.DocsExamined;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The account this process last wrote is reused to decide its next change without reading it again, and a copy
 * another replica made stale never decides anything: "another replica" here is a change written straight through
 * {@link AccountRepository}, as a second instance would, between two operations of this one.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(RememberedAccountTest.NoSweeps.class)
class RememberedAccountTest {

    /** No timer-driven sweep adds reads to a measurement or settles a hold behind the test's back. */
    public static class NoSweeps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false");
        }
    }

    @Inject
    LedgerService ledger;

    @Inject
    AccountRepository store;

    @Inject
    OutboxRelayDrain drain;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Test
    void theNextChangeToAnAccountThisProcessWroteDoesNotReadItFirst() {
        String user = user();
        ledger.grant(user, id(), 500, "admin_grant", Map.of(), null);
        drain.untilEmpty(List.of(user)); // the relay's own reads stay out of the measurement

        long examined = DocsExamined.during(mongo.getDatabase(database), "accounts",
                () -> ledger.placeHold(user, id(), 100, Duration.ofMinutes(10)));
        assertEquals(1, examined, "only the conditional write's match, no read before it");
    }

    @Test
    void aGrantByAnotherReplicaIsSeenBeforeAHoldIsRefused() {
        String user = user();
        ledger.grant(user, id(), 50, "admin_grant", Map.of(), null);
        otherReplica(user, a -> a.grant(new ObjectId().toHexString(), id(), 50, "admin_grant", Map.of(), null, now()));

        String hold = id();
        HoldRecord held = ledger.placeHold(user, hold, 80, Duration.ofMinutes(10));
        assertEquals(HoldState.HELD, held.state(), "the remembered copy said 50 available; the store says 100");
        assertTrue(store.settledHold(hold).isEmpty(), "no refusal was recorded from the old copy");
        assertEquals(20, store.load(user).account().available(now()));
    }

    @Test
    void aHoldAnotherReplicaCapturedIsNotReleasedFromTheOldCopy() {
        String user = user();
        ledger.grant(user, id(), 100, "admin_grant", Map.of(), null);
        String hold = id();
        ledger.placeHold(user, hold, 30, Duration.ofMinutes(10)); // remembered: the hold open
        otherReplica(user, a -> a.capture(hold, now()));

        LedgerException refused = assertThrows(LedgerException.class, () -> ledger.release(user, hold, "requested"));
        assertEquals("hold_already_captured", refused.code());
        assertEquals(HoldState.CAPTURED, ledger.hold(user, hold).state());
        assertEquals(70, store.load(user).account().available(now()), "charged once, not given back");
    }

    @Test
    void aSettledHoldCopiedOutIsNeverPlacedAgain() {
        String user = user();
        ledger.grant(user, id(), 100, "admin_grant", Map.of(), null);
        String hold = id();
        ledger.placeHold(user, hold, 40, Duration.ofMinutes(10));
        ledger.capture(user, hold);
        drain.untilEmpty(List.of(user)); // the capture now lives only in the holds collection

        HoldRecord again = ledger.placeHold(user, hold, 40, Duration.ofMinutes(10));
        assertEquals(HoldState.CAPTURED, again.state());
        assertEquals(60, store.load(user).account().available(now()), "the repeated place held nothing");
    }

    /** A change written straight to the store, as another instance of the service would. */
    private void otherReplica(String user, java.util.function.Function<Account, Account.Change> change) {
        AccountRepository.Snapshot current = store.load(user);
        assertTrue(store.compareAndSet(current.account(), change.apply(current.account())));
    }

    private static Instant now() {
        return Instant.now();
    }

    private static String user() {
        return "remembered-" + UUID.randomUUID();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}

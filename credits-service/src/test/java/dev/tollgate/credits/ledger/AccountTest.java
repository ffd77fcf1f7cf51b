package dev.tollgate.credits.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AccountTest {

    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    static final Duration TTL = Duration.ofMinutes(10);

    @Test
    void holdsTakeFromTheSoonestExpiringGrantFirstAndNeverExpiringLast() {
        Account a = Account.empty("u")
                .grant("never", "k1", 100, "admin_grant", Map.of(), null, T0).after()
                .grant("late", "k2", 100, "admin_grant", Map.of(), T0.plus(Duration.ofDays(30)), T0).after()
                .grant("soon", "k3", 100, "admin_grant", Map.of(), T0.plus(Duration.ofDays(1)), T0).after();
        Account held = a.placeHold("h", 150, TTL, T0).after();
        assertEquals(List.of(new Allocation("soon", 100), new Allocation("late", 50)), held.hold("h").orElseThrow().allocations());
        assertEquals(150, held.available(T0));
        assertEquals(100, held.grant("never").orElseThrow().remaining());
    }

    @Test
    void tiesBetweenEqualExpiriesGoToTheOldestGrant() {
        Instant exp = T0.plus(Duration.ofDays(3));
        Account a = Account.empty("u")
                .grant("older", "k1", 10, "admin_grant", Map.of(), exp, T0).after()
                .grant("newer", "k2", 10, "admin_grant", Map.of(), exp, T0.plusSeconds(1)).after();
        assertEquals("older", a.placeHold("h", 5, TTL, T0.plusSeconds(2)).after().hold("h").orElseThrow()
                .allocations().getFirst().grantId());
    }

    @Test
    void expiredCreditIsNeverSpendableEvenBeforeTheSweep() {
        Account a = Account.empty("u").grant("g", "k", 100, "admin_grant", Map.of(), T0.plusSeconds(60), T0).after();
        Instant later = T0.plusSeconds(61);
        assertEquals(0, a.available(later));
        LedgerException e = assertThrows(LedgerException.class, () -> a.placeHold("h", 1, TTL, later));
        assertEquals("insufficient_credits", e.code());
        assertEquals(402, e.status());
    }

    @Test
    void captureWritesOnePurchaseAndReleaseGivesBackToTheExactGrants() {
        Account a = Account.empty("u")
                .grant("a", "k1", 30, "admin_grant", Map.of(), T0.plusSeconds(3600), T0).after()
                .grant("b", "k2", 30, "admin_grant", Map.of(), null, T0).after();
        Account held = a.placeHold("h1", 40, TTL, T0).after().placeHold("h2", 10, TTL, T0).after();
        Account.Change capture = held.capture("h1", T0);
        assertEquals(List.of(TransactionType.PURCHASE), capture.transactions().stream().map(LedgerTransaction::type).toList());
        assertEquals(-40, capture.transactions().getFirst().amount());
        assertEquals(HoldState.CAPTURED, capture.settledHolds().getFirst().state());

        Account.Change release = capture.after().release("h2", "requested", T0);
        assertTrue(release.transactions().isEmpty());
        // h2 took its 10 from "b" (after h1 emptied "a"); they go back there.
        assertEquals(20, release.after().available(T0));
        assertEquals(20, release.after().grant("b").orElseThrow().remaining());
        assertEquals(0, release.after().grant("a").orElseThrow().remaining());
    }

    @Test
    void creditReleasedIntoAnExpiredGrantExpiresAtOnce() {
        Account a = Account.empty("u").grant("g", "k", 50, "admin_grant", Map.of(), T0.plusSeconds(60), T0).after();
        Account held = a.placeHold("h", 50, TTL, T0).after();
        Instant later = T0.plusSeconds(120);
        Account expired = held.expire(later).after();
        assertTrue(expired.grant("g").orElseThrow().expired());
        Account.Change release = expired.release("h", "expired", later);
        assertEquals(1, release.transactions().size());
        assertEquals(TransactionType.EXPIRATION, release.transactions().getFirst().type());
        assertEquals(-50, release.transactions().getFirst().amount());
        assertEquals(0, release.after().grant("g").orElseThrow().remaining());
    }

    @Test
    void revocationTakesOnlyWhatIsNotHeld() {
        Account a = Account.empty("u").grant("g", "k", 100, "admin_grant", Map.of(), null, T0).after()
                .placeHold("h", 70, TTL, T0).after();
        assertEquals("revocation_exceeds_remaining", assertThrows(LedgerException.class,
                () -> a.revoke("g", "r1", 31L, T0)).code());
        Account.Change all = a.revoke("g", "r1", null, T0);
        assertEquals(-30, all.transactions().getFirst().amount());
        assertEquals(List.of("r1"), all.after().grant("g").orElseThrow().revocationKeys());
        assertEquals("grant_not_found", assertThrows(LedgerException.class, () -> a.revoke("nope", "r2", null, T0)).code());
    }

    @Test
    void aRevocationWhileCreditIsHeldRecordsTheBalanceTheRunningSumGives() {
        // grant 100 (balance 100), hold 40, revoke what is not held (-60): the balance is the 40 on hold, not the 0
        // available; capturing the hold then spends it (-40, balance 0). Sums of amounts and balances agree.
        Account.Change granted = Account.empty("u").grant("g", "k", 100, "admin_grant", Map.of(), null, T0);
        Account held = granted.after().placeHold("h", 40, TTL, T0).after();
        Account.Change revoked = held.revoke("g", "r1", null, T0);
        assertEquals(-60, revoked.transactions().getFirst().amount());
        assertEquals(40, revoked.transactions().getFirst().balanceAfter(), "100 - 60, of which 40 on hold");
        Account.Change captured = revoked.after().capture("h", T0);
        assertEquals(0, captured.transactions().getFirst().balanceAfter());
        // and a grant while credit is held counts it too
        Account.Change more = held.grant("g2", "k2", 10, "admin_grant", Map.of(), null, T0);
        assertEquals(110, more.transactions().getFirst().balanceAfter());
    }

    @Test
    void zeroAndNegativeAmountsAreRefused() {
        Account a = Account.empty("u");
        assertEquals("invalid_amount", assertThrows(LedgerException.class,
                () -> a.grant("g", "k", 0, "admin_grant", Map.of(), null, T0)).code());
        assertEquals("invalid_amount", assertThrows(LedgerException.class, () -> a.placeHold("h", -5, TTL, T0)).code());
    }

    @Test
    void unknownHoldsCannotBeSettled() {
        Account a = Account.empty("u");
        assertEquals("hold_not_found", assertThrows(LedgerException.class, () -> a.capture("h", T0)).code());
        assertEquals("hold_not_found", assertThrows(LedgerException.class, () -> a.release("h", "requested", T0)).code());
    }
}

package dev.tollgate.credits.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The ledger's invariants over random histories of grants, holds, captures, releases, revocations, expirations
 * and the passing of time. If any operation mis-counts a credit, one of these fails with a shrunk counterexample.
 */
class AccountProperties {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    sealed interface Op permits GrantOp, HoldOp, CaptureOp, ReleaseOp, RevokeOp, TickOp, ExpireOp {
    }

    record GrantOp(long amount, Integer expiresInMinutes) implements Op {
    }

    record HoldOp(long amount) implements Op {
    }

    record CaptureOp(int which) implements Op {
    }

    record ReleaseOp(int which) implements Op {
    }

    record RevokeOp(int which, Long amount) implements Op {
    }

    record TickOp(int minutes) implements Op {
    }

    record ExpireOp() implements Op {
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> grant = Combinators.combine(Arbitraries.longs().between(1, 500),
                Arbitraries.integers().between(1, 120).injectNull(0.3)).as(GrantOp::new);
        Arbitrary<Op> hold = Arbitraries.longs().between(1, 400).map(HoldOp::new);
        Arbitrary<Op> capture = Arbitraries.integers().between(0, 20).map(CaptureOp::new);
        Arbitrary<Op> release = Arbitraries.integers().between(0, 20).map(ReleaseOp::new);
        Arbitrary<Op> revoke = Combinators.combine(Arbitraries.integers().between(0, 20),
                Arbitraries.longs().between(1, 300).injectNull(0.5)).as(RevokeOp::new);
        Arbitrary<Op> tick = Arbitraries.integers().between(1, 60).map(TickOp::new);
        Arbitrary<Op> expire = Arbitraries.just(new ExpireOp());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, grant), net.jqwik.api.Tuple.of(5, hold), net.jqwik.api.Tuple.of(3, capture),
                net.jqwik.api.Tuple.of(3, release), net.jqwik.api.Tuple.of(1, revoke), net.jqwik.api.Tuple.of(2, tick),
                net.jqwik.api.Tuple.of(1, expire))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 400)
    void creditIsNeverCreatedLostOrOverdrawn(@ForAll("histories") List<Op> history) {
        Account account = Account.empty("u");
        Instant now = T0;
        long txSum = 0;
        long lastSequence = 0;
        int n = 0;
        for (Op op : history) {
            n++;
            Account.Change change = null;
            try {
                switch (op) {
                    case GrantOp g -> change = account.grant("g" + n, "k" + n, g.amount(), "admin_grant", Map.of(),
                            g.expiresInMinutes() == null ? null : now.plus(Duration.ofMinutes(g.expiresInMinutes())), now);
                    case HoldOp h -> {
                        long before = account.available(now);
                        change = account.placeHold("h" + n, h.amount(), Duration.ofMinutes(10), now);
                        assertTrue(h.amount() <= before, "a hold larger than the available balance was accepted");
                        assertEquals(before - h.amount(), change.after().available(now));
                    }
                    case CaptureOp c -> {
                        if (!account.holds().isEmpty()) {
                            change = account.capture(pick(account.holds(), c.which()).id(), now);
                        }
                    }
                    case ReleaseOp r -> {
                        if (!account.holds().isEmpty()) {
                            change = account.release(pick(account.holds(), r.which()).id(), "requested", now);
                        }
                    }
                    case RevokeOp r -> {
                        if (!account.grants().isEmpty()) {
                            change = account.revoke(pick(account.grants(), r.which()).id(), "r" + n, r.amount(), now);
                        }
                    }
                    case TickOp t -> now = now.plus(Duration.ofMinutes(t.minutes()));
                    case ExpireOp e -> change = account.expire(now);
                }
            } catch (LedgerException refused) {
                assertTrue(refused.status() >= 400 && refused.status() < 500, refused.code());
                continue; // a refusal changes nothing
            }
            if (change == null) {
                continue;
            }
            for (LedgerTransaction tx : change.transactions()) {
                txSum += tx.amount();
                assertTrue(tx.sequence() > lastSequence, "sequence must increase");
                lastSequence = tx.sequence();
                // What a reader of the history checks: each balance_after is the running sum of the amounts, also
                // while holds are open (it recorded what was available then, which a revocation broke).
                assertEquals(txSum, tx.balanceAfter(), "balance_after is the running sum of the transactions");
            }
            account = change.after();

            long remaining = account.grants().stream().mapToLong(GrantState::remaining).sum();
            assertEquals(txSum, remaining + account.heldCredits(), "sum of transactions = remaining + held");
            account.grants().forEach(g -> assertTrue(g.remaining() >= 0 && g.remaining() <= g.amount(), g.toString()));
            assertTrue(account.available(now) >= 0);
            for (OpenHold h : account.holds()) {
                assertEquals(h.amount(), h.allocations().stream().mapToLong(Allocation::credits).sum());
            }
        }
    }

    @Property(tries = 300)
    void aHoldNeverSkipsSoonerExpiringCredit(@ForAll("grantSets") List<GrantOp> grants,
            @ForAll("amounts") long amount) {
        Account account = Account.empty("u");
        int n = 0;
        for (GrantOp g : grants) {
            n++;
            account = account.grant("g" + n, "k" + n, g.amount(), "admin_grant", Map.of(),
                    g.expiresInMinutes() == null ? null : T0.plus(Duration.ofMinutes(g.expiresInMinutes())),
                    T0.plusSeconds(n)).after();
        }
        Instant now = T0.plusSeconds(n + 1);
        if (amount > account.available(now)) {
            return;
        }
        Account held = account.placeHold("h", amount, Duration.ofMinutes(5), now).after();
        List<GrantState> ordered = new ArrayList<>(account.grants().stream().filter(g -> g.isSpendableAt(now))
                .sorted(Account.CONSUMPTION_ORDER).toList());
        // Consumption is a prefix: every grant before the last one touched is emptied.
        List<Allocation> allocations = held.hold("h").orElseThrow().allocations();
        for (int i = 0; i < allocations.size() - 1; i++) {
            assertEquals(ordered.get(i).id(), allocations.get(i).grantId());
            assertEquals(0, held.grant(ordered.get(i).id()).orElseThrow().remaining());
        }
    }

    @Provide
    Arbitrary<List<GrantOp>> grantSets() {
        return Combinators.combine(Arbitraries.longs().between(1, 200),
                Arbitraries.integers().between(1, 50).injectNull(0.3)).as(GrantOp::new).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<Long> amounts() {
        return Arbitraries.longs().between(1, 800);
    }

    private static <T> T pick(List<T> list, int which) {
        return list.get(which % list.size());
    }
}

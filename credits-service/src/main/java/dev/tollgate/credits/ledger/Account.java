package dev.tollgate.credits.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user's whole spendable state in one document: grants and open holds. Every change to a user's money is a pure
 * function from one {@code Account} to the next plus the facts it produced, stored with one conditional update on
 * {@code version}; that is what makes the ledger correct without multi-document transactions.
 *
 * <p>Invariant kept by every operation: the sum of all transaction amounts ever produced for the user equals the
 * sum of {@code remaining} over grants plus the sum of open holds.
 */
public record Account(String userId, long version, long sequence, List<GrantState> grants, List<OpenHold> holds) {

    /** The most credit one grant, revocation or hold may move: far above any real amount, far below overflow. */
    public static final long MAX_CREDITS = 1_000_000_000_000L;

    /** Soonest expiry first, never-expiring last, then oldest, then id (a total order: allocation is deterministic). */
    static final Comparator<GrantState> CONSUMPTION_ORDER = Comparator
            .comparing(GrantState::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(GrantState::createdAt)
            .thenComparing(GrantState::id);

    public static Account empty(String userId) {
        return new Account(userId, 0, 0, List.of(), List.of());
    }

    /** The result of an operation: the next state and what it produced. */
    public record Change(Account after, List<LedgerTransaction> transactions, List<HoldRecord> settledHolds) {
        static Change of(Account after) {
            return new Change(after, List.of(), List.of());
        }
    }

    /** Credit spendable now: non-expired remaining credit (open holds are already taken out of it). */
    public long available(Instant now) {
        return grants.stream().filter(g -> g.isSpendableAt(now)).mapToLong(GrantState::remaining).sum();
    }

    public long heldCredits() {
        return holds.stream().mapToLong(OpenHold::amount).sum();
    }

    /**
     * The ledger's balance: what is left of every grant whose expiration is not written yet, plus the credit on hold
     * (set aside, not spent). It is the running sum of the transactions, so it is what each transaction's
     * {@code balance_after} records: with a hold open, what can be spent now ({@link #available}) is less, and a
     * revocation or a grant recorded with that instead left running sums that no longer reconciled.
     */
    public long balance() {
        return grants.stream().mapToLong(GrantState::remaining).sum() + heldCredits();
    }

    public Optional<OpenHold> hold(String holdId) {
        return holds.stream().filter(h -> h.id().equals(holdId)).findFirst();
    }

    public Optional<GrantState> grant(String grantId) {
        return grants.stream().filter(g -> g.id().equals(grantId)).findFirst();
    }

    public Optional<GrantState> grantByIdempotencyKey(String key) {
        return grants.stream().filter(g -> key.equals(g.idempotencyKey())).findFirst();
    }

    public Change grant(String grantId, String idempotencyKey, long amount, String creditType,
            Map<String, Object> sourceMetadata, Instant expiresAt, Instant now) {
        requirePositive(amount);
        GrantState grant = new GrantState(grantId, idempotencyKey, amount, amount, creditType,
                sourceMetadata == null ? Map.of() : sourceMetadata, now, null, expiresAt, false, List.of());
        List<GrantState> next = new ArrayList<>(grants);
        next.add(grant);
        Account after = with(next, holds, sequence + 1);
        return new Change(after, List.of(transaction("grant:" + grantId, TransactionType.GRANT, amount, after, now,
                grantId, null)), List.of());
    }

    /** Sets credit aside, taking it from grants in {@link #CONSUMPTION_ORDER}; expired credit is never taken. */
    public Change placeHold(String holdId, long amount, Duration ttl, Instant now) {
        requirePositive(amount);
        long available = available(now);
        if (amount > available) {
            throw LedgerException.insufficientCredits(amount, available);
        }
        List<GrantState> next = new ArrayList<>(grants);
        List<Allocation> allocations = new ArrayList<>();
        long needed = amount;
        List<GrantState> order = grants.stream().filter(g -> g.isSpendableAt(now)).sorted(CONSUMPTION_ORDER).toList();
        for (GrantState g : order) {
            if (needed == 0) {
                break;
            }
            long take = Math.min(needed, g.remaining());
            allocations.add(new Allocation(g.id(), take));
            next.set(next.indexOf(g), g.withRemaining(g.remaining() - take));
            needed -= take;
        }
        List<OpenHold> nextHolds = new ArrayList<>(holds);
        nextHolds.add(new OpenHold(holdId, amount, List.copyOf(allocations), now, now.plus(ttl)));
        return Change.of(with(next, nextHolds, sequence));
    }

    /** Charges an open hold: one {@code purchase} transaction; the credit left the grants when it was held. */
    public Change capture(String holdId, Instant now) {
        OpenHold hold = hold(holdId).orElseThrow(() -> LedgerException.holdNotFound(holdId));
        List<OpenHold> nextHolds = new ArrayList<>(holds);
        nextHolds.remove(hold);
        Account after = with(grants, nextHolds, sequence + 1);
        LedgerTransaction purchase = transaction("purchase:" + holdId, TransactionType.PURCHASE, -hold.amount(), after,
                now, null, holdId);
        HoldRecord record = new HoldRecord(holdId, userId, HoldState.CAPTURED, hold.amount(), hold.createdAt(),
                hold.expiresAt(), now, "captured", purchase.id());
        return new Change(after, List.of(purchase), List.of(record));
    }

    /**
     * Gives an open hold's credit back to the exact grants it came from. A part whose grant has expired meanwhile
     * (and whose expiration was already written) expires at once, with its own transaction.
     */
    public Change release(String holdId, String reason, Instant now) {
        OpenHold hold = hold(holdId).orElseThrow(() -> LedgerException.holdNotFound(holdId));
        List<GrantState> next = new ArrayList<>(grants);
        List<Allocation> expiredParts = new ArrayList<>();
        for (Allocation a : hold.allocations()) {
            int i = indexOf(next, a.grantId());
            GrantState g = next.get(i);
            if (g.expired()) {
                expiredParts.add(a);
            } else {
                next.set(i, g.withRemaining(g.remaining() + a.credits()));
            }
        }
        List<OpenHold> nextHolds = new ArrayList<>(holds);
        nextHolds.remove(hold);
        Account after = with(next, nextHolds, sequence);
        List<LedgerTransaction> txs = new ArrayList<>();
        long running = balance(); // each expired part's transaction records the balance after it alone
        for (Allocation a : expiredParts) {
            after = after.with(after.grants, after.holds, after.sequence + 1);
            running -= a.credits();
            txs.add(new LedgerTransaction("expiration:" + a.grantId() + ":" + holdId, userId,
                    TransactionType.EXPIRATION, -a.credits(), running, after.sequence(), now, a.grantId(), holdId));
        }
        HoldRecord record = new HoldRecord(holdId, userId, HoldState.RELEASED, hold.amount(), hold.createdAt(),
                hold.expiresAt(), now, reason, null);
        return new Change(after, List.copyOf(txs), List.of(record));
    }

    /** Writes off what is left of every grant that has expired by {@code now}: one {@code expiration} each. */
    public Change expire(Instant now) {
        List<GrantState> next = new ArrayList<>(grants);
        List<LedgerTransaction> txs = new ArrayList<>();
        Account after = this;
        for (GrantState g : grants) {
            if (g.expired() || !g.isExpiredAt(now)) {
                continue;
            }
            // Marked even when empty: credit a hold gives back to it later expires at once.
            next.set(next.indexOf(g), g.markedExpired());
            after = with(next, holds, after.sequence);
            if (g.remaining() > 0) {
                after = with(next, holds, after.sequence + 1);
                txs.add(transaction("expiration:" + g.id(), TransactionType.EXPIRATION, -g.remaining(), after, now,
                        g.id(), null));
            }
        }
        return new Change(after, List.copyOf(txs), List.of());
    }

    /** Takes back all ({@code credits == null}) or part of what is left of a grant. Credit on hold is not revocable. */
    public Change revoke(String grantId, String idempotencyKey, Long credits, Instant now) {
        GrantState g = grant(grantId).orElseThrow(() -> LedgerException.grantNotFound(grantId));
        if (g.isExpiredAt(now)) {
            throw new LedgerException(409, "grant_expired", "Grant " + grantId + " has expired; nothing to revoke");
        }
        long amount = credits == null ? g.remaining() : credits;
        if (credits != null) {
            requirePositive(credits);
        }
        if (amount > g.remaining()) {
            throw new LedgerException(409, "revocation_exceeds_remaining", "Grant " + grantId + " has "
                    + g.remaining() + " credits left (credit on hold cannot be revoked); asked to revoke " + amount);
        }
        List<GrantState> next = new ArrayList<>(grants);
        next.set(next.indexOf(g), g.revokedBy(idempotencyKey, amount));
        Account after = with(next, holds, sequence + 1);
        return new Change(after, List.of(transaction("revocation:" + idempotencyKey, TransactionType.REVOCATION,
                -amount, after, now, grantId, null)), List.of());
    }

    private static int indexOf(List<GrantState> grants, String grantId) {
        for (int i = 0; i < grants.size(); i++) {
            if (grants.get(i).id().equals(grantId)) {
                return i;
            }
        }
        throw new IllegalStateException("hold refers to unknown grant " + grantId);
    }

    Account with(List<GrantState> nextGrants, List<OpenHold> nextHolds, long nextSequence) {
        return new Account(userId, version, nextSequence, List.copyOf(nextGrants), List.copyOf(nextHolds));
    }

    private LedgerTransaction transaction(String id, TransactionType type, long amount, Account after, Instant now,
            String grantId, String holdId) {
        return new LedgerTransaction(id, userId, type, amount, after.balance(), after.sequence(), now, grantId,
                holdId);
    }

    private static void requirePositive(long amount) {
        if (amount <= 0) {
            throw new LedgerException(422, "invalid_amount", "Amounts are whole credits greater than zero");
        }
    }
}

package dev.tollgate.credits.ledger;

import java.time.Instant;
import java.util.List;

/** Credit set aside for a purchase in progress: captured (charged) or released (given back) later. */
public record OpenHold(String id, long amount, List<Allocation> allocations, Instant createdAt, Instant expiresAt) {

    public boolean isExpiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}

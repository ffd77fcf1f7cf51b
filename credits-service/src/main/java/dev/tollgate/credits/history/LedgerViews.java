package dev.tollgate.credits.history;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.credits.ledger.GrantState;
import dev.tollgate.credits.ledger.LedgerTransaction;

/** Grants and transactions as the contract spells them (snake_case, {@code _id}, dollars beside credits). */
public final class LedgerViews {

    private LedgerViews() {
    }

    public static Map<String, Object> grant(String userId, GrantState g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_id", g.id());
        m.put("user_id", userId);
        m.put("amount_credits", g.amount());
        m.put("amount_usd", usd(g.amount()));
        m.put("remaining_credits", g.remaining());
        m.put("credit_type", g.creditType());
        m.put("source_metadata", g.sourceMetadata());
        m.put("date_created", iso(g.createdAt()));
        m.put("pooled_at", iso(g.pooledAt()));
        m.put("expires_at", iso(g.expiresAt()));
        return m;
    }

    public static Map<String, Object> transaction(LedgerTransaction t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_id", t.id());
        m.put("user_id", t.userId());
        m.put("transaction_type", t.type().wireName());
        m.put("amount_credits", t.amount());
        m.put("amount_usd", usd(t.amount()));
        m.put("balance_after_credits", t.balanceAfter());
        m.put("balance_after_usd", usd(t.balanceAfter()));
        m.put("date_created", iso(t.createdAt()));
        return m;
    }

    /** 100 credits = $1, exactly: no binary floating point on money. */
    static BigDecimal usd(long credits) {
        return BigDecimal.valueOf(credits, 2);
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}

package dev.tollgate.catalog.budgets;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who asks about a budget: an admin sees every budget, anyone else only the budgets they own. */
public record Caller(String userId, boolean admin) {

    public static Caller of(JsonWebToken token) {
        return new Caller(token.getSubject(), token.getGroups().contains("admin"));
    }

    public boolean sees(Budget b) {
        return admin || b.ownerUserId.equals(userId);
    }
}

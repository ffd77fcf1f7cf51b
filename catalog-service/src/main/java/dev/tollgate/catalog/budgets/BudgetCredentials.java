package dev.tollgate.catalog.budgets;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;

/** Stores one credential of a budget: encrypted, with only its last four characters kept readable. */
@ApplicationScoped
public class BudgetCredentials {

    @Inject
    BudgetRepository budgets;

    @Inject
    CredentialCipher cipher;

    public void store(ObjectId budgetId, String key, String value) {
        Budget.StoredCredential stored = new Budget.StoredCredential();
        stored.ciphertext = cipher.encrypt(value);
        stored.last4 = value.length() <= 4 ? "****" : value.substring(value.length() - 4);
        stored.updatedAt = Instant.now();
        budgets.setCredential(budgetId, key, stored);
    }
}

package dev.tollgate.catalog.budgets;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.catalog.products.Product;
import dev.tollgate.catalog.products.ProductRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

/**
 * Budgets: what a user may use. Another user's budget is answered as one that does not exist. Credentials are
 * stored encrypted ({@link CredentialCipher}) with only their last four characters kept readable.
 */
@ApplicationScoped
public class BudgetService {

    static final Pattern CREDENTIAL_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final Pattern WORKFLOW_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final BudgetRepository budgets;
    private final BudgetProductRepository budgetProducts;
    private final ProductRepository products;
    private final CredentialCipher cipher;

    public BudgetService(BudgetRepository budgets, BudgetProductRepository budgetProducts, ProductRepository products,
            CredentialCipher cipher) {
        this.budgets = budgets;
        this.budgetProducts = budgetProducts;
        this.products = products;
        this.cipher = cipher;
    }

    public Budget create(String ownerUserId, String name) {
        Budget b = new Budget();
        b.id = new ObjectId();
        b.ownerUserId = ownerUserId;
        b.name = name;
        b.createdAt = Instant.now();
        budgets.create(b);
        return b;
    }

    /** The budget, if there is one with this id (read from a short-lived cache: every purchase asks). */
    public Optional<Budget> lookup(String id) {
        return budgets.findByHexId(id);
    }

    public Budget find(String id) {
        return budgets.findByHexId(id).orElseThrow(() -> CatalogError.notFound("Budget not found"));
    }

    /** The budget if the caller may see it; another user's budget is indistinguishable from none. */
    public Optional<Budget> findVisible(String id, Caller caller) {
        return budgets.findByHexId(id).filter(caller::sees);
    }

    public Budget visible(String id, Caller caller) {
        Budget b = find(id);
        if (!caller.sees(b)) {
            throw CatalogError.notFound("Budget not found"); // another user's budget is indistinguishable from none
        }
        return b;
    }

    public BudgetView view(Budget b) {
        return BudgetView.of(b, budgetProducts.all(b.id.toHexString()));
    }

    public void enableProduct(Budget b, String productId) {
        Product product = products.findByHexId(productId).orElseThrow(() -> CatalogError.notFound("Product not found"));
        budgetProducts.enable(b.id.toHexString(), product);
    }

    public void disableProduct(Budget b, String productId) {
        budgetProducts.disable(b.id.toHexString(), productId);
    }

    /** An admin enabling a workflow by hand: its id must look like one. */
    public void enableWorkflow(Budget b, String workflowId) {
        if (!WORKFLOW_ID.matcher(workflowId).matches()) {
            throw new CatalogError(400, "invalid_workflow_id", "Workflow ids are 1-64 letters, digits, '-' or '_'");
        }
        addWorkflow(b, workflowId);
    }

    /** Adds a workflow the platform already named (an approved request carries one workflow-service checked). */
    public void addWorkflow(Budget b, String workflowId) {
        budgets.addWorkflow(b.id, workflowId);
    }

    public void disableWorkflow(Budget b, String workflowId) {
        budgets.removeWorkflow(b.id, workflowId);
    }

    /** Refuses a credential key that is not lower_snake_case (checked before the value is read). */
    public static void requireCredentialKey(String key) {
        if (!CREDENTIAL_KEY.matcher(key).matches()) {
            throw new CatalogError(400, "invalid_credential_key", "Credential keys are lower_snake_case");
        }
    }

    /** Stores one credential: encrypted, with only its last four characters kept readable. */
    public void storeCredential(Budget b, String key, String value) {
        Budget.StoredCredential stored = new Budget.StoredCredential();
        stored.ciphertext = cipher.encrypt(value);
        stored.last4 = value.length() <= 4 ? "****" : value.substring(value.length() - 4);
        stored.updatedAt = Instant.now();
        budgets.setCredential(b.id, key, stored);
    }

    /** A credential's value, decrypted: only for the platform's own calls on the owner's behalf. */
    public String credentialValue(String budgetId, String key) {
        Budget b = find(budgetId);
        if (!b.hasCredential(key)) {
            throw new CatalogError(404, "credential_missing", "The budget has no credential " + key);
        }
        return cipher.decrypt(b.credentials.get(key).ciphertext);
    }
}

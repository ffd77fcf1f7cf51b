package dev.tollgate.catalog.budgets;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;

/**
 * What one user may use: enabled workflows and the credentials they need (encrypted). Enabled products live in
 * {@link BudgetProductRepository}, since there may be very many.
 */
@MongoEntity(collection = "budgets")
public class Budget {
    @BsonId
    public ObjectId id;
    public String ownerUserId;
    public String name;
    public List<String> workflowIds = new ArrayList<>();
    /** Credential key → AES-GCM ciphertext (base64). Never returned in full. */
    public Map<String, StoredCredential> credentials = new LinkedHashMap<>();
    public Instant createdAt;

    public static class StoredCredential {
        public String ciphertext;
        public String last4;
        public Instant updatedAt;
    }

    public boolean hasCredential(String key) {
        return credentials != null && credentials.containsKey(key);
    }
}

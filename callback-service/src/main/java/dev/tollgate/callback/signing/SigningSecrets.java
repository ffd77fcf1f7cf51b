package dev.tollgate.callback.signing;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

@ApplicationScoped
public class SigningSecrets implements PanacheMongoRepositoryBase<SigningSecret, String> {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The user's secret, created on first use. An upsert with {@code $setOnInsert}, so two first requests racing
     * still agree on one secret.
     */
    public SigningSecret forUser(String userId) {
        return mongoCollection().findOneAndUpdate(new Document("_id", userId),
                Updates.combine(Updates.setOnInsert("secret", newSecret()), Updates.setOnInsert("createdAt", Instant.now())),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
    }

    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}

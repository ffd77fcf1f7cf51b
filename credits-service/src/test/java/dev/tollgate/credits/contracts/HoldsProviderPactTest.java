package dev.tollgate.credits.contracts;

import static dev.tollgate.credits.api.LedgerClient.grant;
import static dev.tollgate.credits.api.LedgerClient.hold;
import static dev.tollgate.credits.api.LedgerClient.newUser;
import static dev.tollgate.credits.api.LedgerClient.release;

import java.util.Map;

import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFilter;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import dev.tollgate.contracts.CommittedPacts;
import dev.tollgate.contracts.InteractionKinds;
import dev.tollgate.contracts.ProviderVerification;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.bson.types.ObjectId;

/**
 * credits-service keeps the hold contract catalog-service relies on (contracts/pacts): each interaction replayed
 * against this service, its ledger set up through its own API as the provider state says.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@Provider("credits-service")
@PactFolder(CommittedPacts.COMMITTED)
@PactFilter(value = "http", filter = InteractionKinds.Http.class)
class HoldsProviderPactTest extends ProviderVerification {

    @Override
    protected String serviceToken(String consumer) {
        return TestTokens.service(consumer);
    }

    @State("a user with 1000 credits")
    Map<String, Object> userWithCredits() {
        String user = newUser();
        grant(user, 1000, null).then().statusCode(201);
        return Map.of("userId", user, "holdId", new ObjectId().toHexString());
    }

    @State("a user without credits")
    Map<String, Object> userWithoutCredits() {
        return Map.of("userId", newUser());
    }

    @State("a user with a hold of 5 credits")
    Map<String, Object> held() {
        Map<String, Object> state = userWithCredits();
        hold((String) state.get("userId"), (String) state.get("holdId"), 5).then().statusCode(200);
        return state;
    }

    @State("a user whose hold of 5 credits was released")
    Map<String, Object> released() {
        Map<String, Object> state = held();
        release((String) state.get("userId"), (String) state.get("holdId")).then().statusCode(200);
        return state;
    }
}

package dev.tollgate.catalog.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslRequestWithPath;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTestExt;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.PactSpecVersion;
import au.com.dius.pact.core.model.RequestResponsePact;
import au.com.dius.pact.core.model.annotations.Pact;
import au.com.dius.pact.core.model.annotations.PactDirectory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.purchases.CreditHolds;
import dev.tollgate.catalog.purchases.CreditsClient;
import dev.tollgate.contracts.CommittedPacts;
import dev.tollgate.contracts.InternalCalls;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What catalog-service asks credits-service for an order: hold its price (402 when the user lacks the credit),
 * capture the hold once the tool answered, release it when the tool failed. A capture or release of a hold that is
 * not there is a 404, and the capture of one already released (it ran out) a 409 {@code hold_already_released}:
 * catalog reads both as "nothing to charge"; releasing a released hold again is answered like the first release.
 * The calls go through catalog's own REST client interface, bearer included.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@ExtendWith(CommittedPacts.class)
@ExtendWith(PactConsumerTestExt.class)
@PactTestFor(providerName = CatalogContracts.CREDITS, pactVersion = PactSpecVersion.V3)
@PactDirectory(CommittedPacts.WRITTEN)
class CreditsServiceConsumerPactTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "pact-user";
    private static final String HOLD = "65f0000000000000000000a5";
    private static final String HOLDS = "/internal/credits/accounts/${userId}/holds";
    private static final String EXAMPLE_HOLDS = "/internal/credits/accounts/" + USER + "/holds";

    private static PactDslRequestWithPath placing(PactDslWithProvider builder, String state, String description) {
        return builder.given(state).uponReceiving(description)
                .method("POST").pathFromProviderState(HOLDS, EXAMPLE_HOLDS)
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER)
                .matchHeader("Content-Type", InternalCalls.JSON_TYPE, "application/json")
                .body(new PactDslJsonBody().stringType("hold_id", HOLD).integerType("amount_credits", 5L)
                        .integerType("ttl_seconds", 300L));
    }

    private static PactDslRequestWithPath settling(PactDslWithProvider builder, String state, String description,
            String settlement) {
        return builder.given(state).uponReceiving(description)
                .method("POST").pathFromProviderState(HOLDS + "/${holdId}/" + settlement,
                        EXAMPLE_HOLDS + "/" + HOLD + "/" + settlement)
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER);
    }

    /** A hold as credits-service shows it after the call; catalog reads the status, the hold is there for the record. */
    private static PactDslJsonBody hold(String state) {
        return (PactDslJsonBody) new PactDslJsonBody().booleanValue("success", true).object("data").object("hold")
                .stringType("hold_id", HOLD)
                .stringType("user_id", USER)
                .stringValue("state", state)
                .integerType("amount_credits", 5L)
                .closeObject().closeObject();
    }

    private static PactDslJsonBody refusal(String code) {
        return new PactDslJsonBody().stringType("detail", "refused").stringValue("error", code);
    }

    @Pact(consumer = CatalogContracts.CATALOG)
    RequestResponsePact hold(PactDslWithProvider builder) {
        return InternalCalls.answers(placing(builder, CatalogContracts.USER_WITH_CREDITS, "a hold for an order's price"),
                200, hold("held"));
    }

    @Test
    @PactTestFor(pactMethod = "hold")
    void anOrdersPriceIsHeld(MockServer credits) {
        try (Response answer = client(credits).place(USER, new CreditHolds.HoldRequest(HOLD, 5, 300))) {
            assertEquals(200, answer.getStatus());
        }
    }

    @Pact(consumer = CatalogContracts.CATALOG)
    RequestResponsePact holdWithoutCredit(PactDslWithProvider builder) {
        return InternalCalls.answers(placing(builder, CatalogContracts.USER_WITHOUT_CREDITS, "a hold for more than the user has"),
                402, refusal("insufficient_credits"));
    }

    @Test
    @PactTestFor(pactMethod = "holdWithoutCredit")
    void aHoldForMoreThanTheUserHasIs402(MockServer credits) {
        try (Response answer = client(credits).place(USER, new CreditHolds.HoldRequest(HOLD, 5, 300))) {
            assertEquals(402, answer.getStatus()); // the order fails: insufficient_credits
        }
    }

    @Pact(consumer = CatalogContracts.CATALOG)
    RequestResponsePact capture(PactDslWithProvider builder) {
        return InternalCalls.answers(settling(builder, CatalogContracts.HELD, "the capture of a hold", "capture"),
                200, hold("captured"));
    }

    @Test
    @PactTestFor(pactMethod = "capture")
    void aHoldIsCaptured(MockServer credits) {
        try (Response answer = client(credits).capture(USER, HOLD)) {
            assertEquals(200, answer.getStatus());
        }
    }

    @Pact(consumer = CatalogContracts.CATALOG)
    RequestResponsePact captureOfAMissingHold(PactDslWithProvider builder) {
        return InternalCalls.answers(settling(builder, CatalogContracts.USER_WITH_CREDITS, "the capture of a hold never placed", "capture"),
                404, refusal("hold_not_found"));
    }

    @Test
    @PactTestFor(pactMethod = "captureOfAMissingHold")
    void aHoldNeverPlacedIs404(MockServer credits) {
        try (Response answer = client(credits).capture(USER, HOLD)) {
            assertEquals(404, answer.getStatus()); // nothing to charge under this id
        }
    }

    @Pact(consumer = CatalogContracts.CATALOG)
    RequestResponsePact captureOfAReleasedHold(PactDslWithProvider builder) {
        return InternalCalls.answers(settling(builder, CatalogContracts.RELEASED, "the capture of a hold already released", "capture"),
                409, refusal("hold_already_released"));
    }

    @Test
    @PactTestFor(pactMethod = "captureOfAReleasedHold")
    void aReleasedHoldIs409WithTheCodeCatalogReads(MockServer credits) throws Exception {
        try (Response answer = client(credits).capture(USER, HOLD)) {
            assertEquals(409, answer.getStatus());
            assertEquals("hold_already_released",
                    JSON.readTree(answer.readEntity(String.class)).path("error").asText());
        }
    }

    @Pact(consumer = CatalogContracts.CATALOG)
    RequestResponsePact release(PactDslWithProvider builder) {
        return InternalCalls.answers(settling(builder, CatalogContracts.HELD, "the release of a hold", "release"),
                200, hold("released"));
    }

    @Test
    @PactTestFor(pactMethod = "release")
    void aHoldIsReleased(MockServer credits) {
        try (Response answer = client(credits).release(USER, HOLD)) {
            assertEquals(200, answer.getStatus());
        }
    }

    @Pact(consumer = CatalogContracts.CATALOG)
    RequestResponsePact releaseOfAMissingHold(PactDslWithProvider builder) {
        return InternalCalls.answers(settling(builder, CatalogContracts.USER_WITH_CREDITS, "the release of a hold never placed", "release"),
                404, refusal("hold_not_found"));
    }

    @Test
    @PactTestFor(pactMethod = "releaseOfAMissingHold")
    void releasingAHoldNeverPlacedIs404(MockServer credits) {
        try (Response answer = client(credits).release(USER, HOLD)) {
            assertEquals(404, answer.getStatus()); // nothing to give back
        }
    }

    @Pact(consumer = CatalogContracts.CATALOG)
    RequestResponsePact releaseOfAReleasedHold(PactDslWithProvider builder) {
        return InternalCalls.answers(settling(builder, CatalogContracts.RELEASED, "the release of a hold already released", "release"),
                200, hold("released"));
    }

    @Test
    @PactTestFor(pactMethod = "releaseOfAReleasedHold")
    void releasingAReleasedHoldAgainIsAnsweredAsTheFirstRelease(MockServer credits) {
        // A hold that ran out is released by credits-service itself: releasing it again is idempotent.
        try (Response answer = client(credits).release(USER, HOLD)) {
            assertEquals(200, answer.getStatus());
        }
    }

    private static CreditsClient client(MockServer credits) {
        return InternalCalls.client(credits, CreditsClient.class);
    }
}

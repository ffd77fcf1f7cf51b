package dev.tollgate.credits.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import au.com.dius.pact.consumer.MessagePactBuilder;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.junit5.PactConsumerTestExt;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.consumer.junit5.ProviderType;
import au.com.dius.pact.core.model.PactSpecVersion;
import au.com.dius.pact.core.model.annotations.Pact;
import au.com.dius.pact.core.model.annotations.PactDirectory;
import au.com.dius.pact.core.model.messaging.Message;
import au.com.dius.pact.core.model.messaging.MessagePact;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.contracts.CommittedPacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The published shape of {@code credits.transactions}, which no service in this repository reads: this test stands
 * for the readers outside it (a billing export, an analytics job) and writes down what the README promises them,
 * as the pact {@code ledger-reader-credits-service.json} that credits-service is then verified against
 * ({@link TransactionEventsProviderPactTest}). What a reader does with it: deduplicate by {@code id}, sum
 * {@code data.amount_credits} per user, and take the balance from the event with the highest {@code sequence}.
 */
@ExtendWith(CommittedPacts.class)
@ExtendWith(PactConsumerTestExt.class)
@PactTestFor(providerName = "credits-service", providerType = ProviderType.ASYNCH, pactVersion = PactSpecVersion.V3)
@PactDirectory(CommittedPacts.WRITTEN)
class LedgerReaderConsumerPactTest {

    static final String READER = "ledger-reader";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "pact-user";

    private static PactDslJsonBody transaction(String type, long amount) {
        String transactionId = "txn-" + type;
        return new PactDslJsonBody()
                .stringValue("specversion", "1.0")
                .stringType("id", transactionId)
                .stringValue("source", "tollgate/credits-service")
                .stringValue("type", "dev.tollgate.credits.transaction." + type)
                .stringType("subject", USER)
                .stringType("time", "2026-01-01T00:00:00Z")
                .stringValue("datacontenttype", "application/json")
                .object("data")
                .stringType("transaction_id", transactionId)
                .stringType("user_id", USER)
                .stringValue("transaction_type", type)
                .integerType("amount_credits", amount)
                .integerType("balance_after_credits", 1000L)
                .integerType("sequence", 1L)
                .stringType("date_created", "2026-01-01T00:00:00Z")
                .asBody();
    }

    private static MessagePactBuilder announced(MessagePactBuilder builder, String state, String description) {
        return builder.given(state).expectsToReceive(description)
                .withMetadata(metadata -> metadata.add("topic", "credits.transactions").like("key", USER));
    }

    @Pact(consumer = READER)
    MessagePact grant(MessagePactBuilder builder) {
        return announced(builder, "an admin granted credits to a user", "the transaction of a grant")
                .withContent(transaction("grant", 1000L).stringType("grant_id", "grant-1").nullValue("hold_id")
                        .closeObject())
                .toPact();
    }

    @Test
    @PactTestFor(pactMethod = "grant")
    void aGrantAddsItsAmountAndNamesItsGrant(List<Message> messages) throws Exception {
        JsonNode data = read(messages.getFirst());
        assertEquals("grant", data.path("transaction_type").asText());
        assertEquals(true, data.path("amount_credits").asLong() > 0);
    }

    @Pact(consumer = READER)
    MessagePact purchase(MessagePactBuilder builder) {
        return announced(builder, "a user's hold for a purchase was captured", "the transaction of a purchase")
                .withContent(transaction("purchase", -5L).nullValue("grant_id").stringType("hold_id", "order-1")
                        .closeObject())
                .toPact();
    }

    @Test
    @PactTestFor(pactMethod = "purchase")
    void aPurchaseSubtractsItsAmountAndNamesItsHold(List<Message> messages) throws Exception {
        JsonNode data = read(messages.getFirst());
        assertEquals("purchase", data.path("transaction_type").asText());
        assertEquals(true, data.path("amount_credits").asLong() < 0, "debits are negative");
    }

    /** What every reader needs: a stable id to deduplicate on, the user (also the key), the amount and the order. */
    private static JsonNode read(Message message) throws Exception {
        JsonNode event = JSON.readTree(message.contentsAsString());
        assertEquals(event.path("id").asText(), event.at("/data/transaction_id").asText());
        assertEquals(message.getMetadata().get("key"), event.at("/data/user_id").asText());
        assertEquals(true, event.at("/data/sequence").canConvertToLong());
        return event.path("data");
    }
}

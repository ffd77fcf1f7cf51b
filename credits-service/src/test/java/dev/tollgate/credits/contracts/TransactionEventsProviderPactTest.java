package dev.tollgate.credits.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import au.com.dius.pact.provider.MessageAndMetadata;
import au.com.dius.pact.provider.PactVerifyProvider;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFilter;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.contracts.CommittedPacts;
import dev.tollgate.contracts.InteractionKinds;
import dev.tollgate.contracts.MessageProviderVerification;
import dev.tollgate.credits.ledger.LedgerTransaction;
import dev.tollgate.credits.ledger.TransactionType;
import dev.tollgate.credits.outbox.TransactionEvent;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * credits-service publishes {@code credits.transactions} in the shape its readers outside this repository were
 * promised (contracts/pacts/ledger-reader-credits-service.json, written by {@link LedgerReaderConsumerPactTest}):
 * each event built as the outbox relay builds it ({@link TransactionEvent}, the service's ObjectMapper), on the
 * channel's configured topic, keyed by the user.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@Provider("credits-service")
@PactFolder(CommittedPacts.COMMITTED)
@PactFilter(value = "messages", filter = InteractionKinds.Messages.class)
class TransactionEventsProviderPactTest extends MessageProviderVerification {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "mp.messaging.outgoing.credit-transactions.topic")
    String topic;

    @State({ "an admin granted credits to a user", "a user's hold for a purchase was captured" })
    void transactionsAreBuiltByEachMessage() {
        // Each message below builds its transaction as the state describes; nothing needs storing.
    }

    @PactVerifyProvider("the transaction of a grant")
    public MessageAndMetadata grant() throws JsonProcessingException {
        return published(new LedgerTransaction(UUID.randomUUID().toString(), "user-1", TransactionType.GRANT, 1000,
                1000, 1, NOW, "grant-1", null));
    }

    @PactVerifyProvider("the transaction of a purchase")
    public MessageAndMetadata purchase() throws JsonProcessingException {
        return published(new LedgerTransaction(UUID.randomUUID().toString(), "user-1", TransactionType.PURCHASE, -5,
                995, 2, NOW, null, "order-1"));
    }

    private MessageAndMetadata published(LedgerTransaction tx) throws JsonProcessingException {
        return new MessageAndMetadata(json.writeValueAsString(TransactionEvent.of(tx)).getBytes(StandardCharsets.UTF_8),
                Map.of("topic", topic, "key", tx.userId()));
    }
}

package dev.tollgate.contracts;

import java.net.URL;

import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import io.quarkus.test.common.http.TestHTTPResource;
import org.apache.hc.core5.http.HttpRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A provider's verification of the REST calls its consumers committed: each interaction is replayed against the
 * running service (the {@code @QuarkusTest} this class is the base of), after the provider state the subclass sets up
 * with {@code @State} methods. The subclass names the provider ({@code @Provider}), the pacts
 * ({@code @PactFolder(CommittedPacts.COMMITTED)}, {@code @PactFilter(value = "http", filter = InteractionKinds.Http.class)})
 * and signs the service tokens.
 */
public abstract class ProviderVerification {

    @TestHTTPResource("/")
    URL service;

    /** A service token for {@code consumer} that this service verifies. */
    protected abstract String serviceToken(String consumer);

    @BeforeEach
    void target(PactVerificationContext context) {
        context.setTarget(new HttpTestTarget(service.getHost(), service.getPort()));
    }

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void keepsTheContract(PactVerificationContext context, HttpRequest request) {
        // The pact says only that a service token is sent; this one is signed with the key the service trusts.
        request.setHeader("Authorization", "Bearer " + serviceToken(context.getConsumer().getName()));
        context.verifyInteraction();
    }
}

package dev.tollgate.contracts;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import au.com.dius.pact.core.model.messaging.MessageInteraction;
import au.com.dius.pact.provider.PactVerifyProvider;
import au.com.dius.pact.provider.ProviderVerifier;
import au.com.dius.pact.provider.VerificationResult;
import au.com.dius.pact.provider.junit5.MessageTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A provider's verification of the events its consumers committed to reading: each message is produced by the
 * subclass's public {@code @PactVerifyProvider("<description>")} method, which builds it with the provider's own code
 * (the service's beans, in the {@code @QuarkusTest} this class is the base of), and compared with the pact. The
 * subclass names the provider ({@code @Provider}) and the pacts ({@code @PactFolder(CommittedPacts.COMMITTED)},
 * {@code @PactFilter(value = "messages", filter = InteractionKinds.Messages.class)}).
 *
 * <p>Why not Pact's own {@code MessageTestTarget} lookup: it finds the producing methods by scanning the classpath with
 * ClassGraph, whose Quarkus class loader support fails under Quarkus 3.32, and it would call them on an instance
 * without the service's beans. Here the methods are this test's own, called on this (injected) instance; the
 * comparison is still Pact's ({@link ProviderVerifier#verifyMessage}).
 */
public abstract class MessageProviderVerification {

    @BeforeEach
    void target(PactVerificationContext context) {
        context.setTarget(new MessageTestTarget());
    }

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void publishesWhatItsConsumersRead(PactVerificationContext context) {
        String description = context.getInteraction().getDescription();
        Set<Method> producers = Arrays.stream(getClass().getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(PactVerifyProvider.class)
                        && m.getAnnotation(PactVerifyProvider.class).value().equals(description))
                .collect(Collectors.toSet());
        if (producers.isEmpty()) {
            throw new AssertionError(getClass().getSimpleName() + " has no @PactVerifyProvider(\"" + description
                    + "\") for " + context.getConsumer().getName());
        }
        ProviderVerifier verifier = (ProviderVerifier) context.getVerifier();
        verifier.setProviderMethodInstance(method -> this);
        Map<String, Object> failures = new LinkedHashMap<>();
        VerificationResult result = verifier.verifyMessage(producers,
                (MessageInteraction) context.getInteraction(), description, failures, false);
        if (!(result instanceof VerificationResult.Ok)) {
            throw new AssertionError(context.getConsumer().getName() + " expects " + description
                    + " other than it is published: " + failures);
        }
    }
}

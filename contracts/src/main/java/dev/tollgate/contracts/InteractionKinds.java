package dev.tollgate.contracts;

import java.util.function.Predicate;

import au.com.dius.pact.core.model.Interaction;
import au.com.dius.pact.provider.junitsupport.filter.InteractionFilter;

/**
 * Splits a provider's verification by kind of interaction, for a service that both answers REST calls and publishes
 * events: the two need different targets (the running service, or the code that builds the event) and Pact takes one
 * per test class. {@code @PactFilter(value = "http", filter = InteractionKinds.Http.class)} keeps the REST calls,
 * {@code @PactFilter(value = "messages", filter = InteractionKinds.Messages.class)} the events.
 */
public final class InteractionKinds {

    private InteractionKinds() {
    }

    /** Request and response over HTTP. */
    public static final class Http implements InteractionFilter<Interaction> {
        @Override
        public Predicate<Interaction> buildPredicate(String[] values) {
            return Interaction::isSynchronousRequestResponse;
        }
    }

    /** A message a consumer reads from a topic. */
    public static final class Messages implements InteractionFilter<Interaction> {
        @Override
        public Predicate<Interaction> buildPredicate(String[] values) {
            return Interaction::isAsynchronousMessage;
        }
    }
}

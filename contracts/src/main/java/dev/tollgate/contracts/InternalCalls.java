package dev.tollgate.contracts;

import java.net.URI;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.DslPart;
import au.com.dius.pact.consumer.dsl.PactDslRequestWithPath;
import au.com.dius.pact.core.model.RequestResponsePact;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/** What every internal REST call's pact has in common: the service bearer, JSON bodies, the consumer's own client. */
public final class InternalCalls {

    /**
     * Every internal call carries a service token. The pact says only that there is one: the provider's verification
     * replaces the example with a token its own key verifies.
     */
    public static final String BEARER = "Bearer [A-Za-z0-9_.-]+";
    public static final String EXAMPLE_BEARER = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYWN0In0.c2lnbmF0dXJl";

    /** Bodies are JSON; whether a charset follows is the HTTP library's business, not the contract's. */
    public static final String JSON_TYPE = "application/json(;.*)?";

    private InternalCalls() {
    }

    /**
     * The consumer's own REST client interface (its paths, headers and bearer) aimed at Pact's mock of the provider.
     * Built by hand rather than injected, since the mock's port is known only once the test runs; inside a
     * {@code @QuarkusTest}, so the interface's bearer (a CDI look-up) works as in production.
     */
    public static <T> T client(MockServer provider, Class<T> api) {
        return RestClientBuilder.newBuilder().baseUri(URI.create(provider.getUrl())).build(api);
    }

    /** The pact of {@code request} answered with {@code status} and a JSON {@code body}. */
    public static RequestResponsePact answers(PactDslRequestWithPath request, int status, DslPart body) {
        return request.willRespondWith().matchHeader("Content-Type", JSON_TYPE, "application/json")
                .status(status).body(body)
                .toPact();
    }
}

package dev.tollgate.localstack.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/**
 * What every service must do with access tokens, whatever it serves: accept a valid RS256 token from the platform
 * key, and refuse (401) a missing one, an expired one, one from another issuer or for another audience, one signed by
 * another key and an unsigned {@code alg: none} one; verify a token once and remember it (platform's {@code CachingJwtParser}) without ever accepting a forged
 * one after it. A service's test extends this and names one of its protected endpoints.
 */
public abstract class TokenVerificationContract {

    /**
     * Calls a protected endpoint of the service.
     *
     * @param authorization the whole Authorization header value, or {@code null} to send none
     */
    protected abstract ValidatableResponse callProtected(String authorization);

    /**
     * What the protected call answers to a valid token: the call's own success, or its own refusal past
     * authentication (e.g. 404 for a run that does not exist). Never "anything but 401": a 500 is not acceptance.
     */
    protected abstract int acceptedStatus();

    /** Checks the 401 body has this service's error style. */
    protected abstract void assertUnauthorizedBody(ValidatableResponse response);

    /** Whether the service remembers a verification of this token (platform's {@code CachingJwtParser}). */
    protected abstract boolean remembers(String token);

    @Test
    void aValidTokenIsVerifiedOnceThenRemembered() {
        String token = TestTokens.user("token-contract-remembered-" + System.nanoTime());
        assertFalse(remembers(token));
        callProtected("Bearer " + token).statusCode(acceptedStatus());
        assertTrue(remembers(token), "the service verifies bearer tokens through the cache");
        callProtected("Bearer " + token).statusCode(acceptedStatus());
    }

    @Test
    void aForgedTokenIsRefusedAfterAValidOneWasRemembered() {
        callProtected("Bearer " + TestTokens.user("token-contract-user")).statusCode(acceptedStatus());
        assertUnauthorizedBody(
                callProtected("Bearer " + TestTokens.signedByAnotherKey("token-contract-user")).statusCode(401));
    }

    @Test
    void aValidTokenIsAccepted() {
        callProtected("Bearer " + TestTokens.user("token-contract-user")).statusCode(acceptedStatus());
    }

    @Test
    void noTokenIsRefused() {
        assertUnauthorizedBody(callProtected(null).statusCode(401));
    }

    @Test
    void anExpiredTokenIsRefused() {
        assertUnauthorizedBody(callProtected("Bearer " + TestTokens.expired("token-contract-user")).statusCode(401));
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        assertUnauthorizedBody(callProtected("Bearer " + TestTokens.wrongIssuer("token-contract-user")).statusCode(401));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        assertUnauthorizedBody(callProtected("Bearer " + TestTokens.wrongAudience("token-contract-user")).statusCode(401));
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() {
        assertUnauthorizedBody(
                callProtected("Bearer " + TestTokens.signedByAnotherKey("token-contract-user")).statusCode(401));
    }

    @Test
    void anUnsignedAlgNoneTokenIsRefused() {
        assertUnauthorizedBody(callProtected("Bearer " + TestTokens.unsigned("token-contract-user")).statusCode(401));
    }

    @Test
    void garbageInTheHeaderIsRefused() {
        assertUnauthorizedBody(callProtected("Bearer not-a-jwt").statusCode(401));
    }
}

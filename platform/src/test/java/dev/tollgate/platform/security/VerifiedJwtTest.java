package dev.tollgate.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

class VerifiedJwtTest {

    /** 2100-01-01T00:00:00Z. */
    private static final long EXPIRES_AT = 4_102_444_800L;

    /** smallrye-jwt's principal, counting how often a claim is looked up in it. */
    static final class CountingPrincipal extends DefaultJWTCallerPrincipal {
        final AtomicInteger lookups = new AtomicInteger();

        CountingPrincipal(JwtClaims claims) {
            super("raw", "JWT", claims);
        }

        @Override
        protected Object getClaimValue(String claimName) {
            lookups.incrementAndGet();
            return super.getClaimValue(claimName);
        }
    }

    private static CountingPrincipal principal() {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("user-1");
        claims.setIssuer("tollgate");
        // A fixed time, not "5 minutes from now": two principals built a moment apart must hold the same claims (the
        // test compared the expiry of two, and failed whenever a second began between them).
        claims.setExpirationTime(NumericDate.fromSeconds(EXPIRES_AT));
        claims.setStringListClaim("groups", List.of("user"));
        claims.setClaim("budget_id", "5f0000000000000000000001");
        return new CountingPrincipal(claims);
    }

    @Test
    void answersEveryClaimAsSmallryeDoes() {
        CountingPrincipal plain = principal();
        JsonWebToken read = VerifiedJwt.of(principal());

        assertEquals(plain.getSubject(), read.getSubject());
        assertEquals(plain.getName(), read.getName());
        assertEquals(plain.getIssuer(), read.getIssuer());
        assertEquals(plain.getExpirationTime(), read.getExpirationTime());
        assertEquals(plain.getGroups(), read.getGroups());
        assertEquals(Set.of("user"), read.getGroups());
        assertEquals(plain.getClaimNames(), read.getClaimNames());
        assertEquals(plain.<Object>getClaim("budget_id"), read.<Object>getClaim("budget_id"));
        assertEquals("5f0000000000000000000001", read.getClaim("budget_id"));
        assertNull(read.getClaim("no_such_claim"));
        assertEquals(plain.containsClaim("budget_id"), read.containsClaim("budget_id"));
    }

    @Test
    void readsCustomClaimsOnceNotPerRequest() {
        CountingPrincipal principal = principal();
        JsonWebToken read = VerifiedJwt.of(principal);
        int atVerification = principal.lookups.get();

        for (int request = 0; request < 100; request++) {
            assertEquals("5f0000000000000000000001", read.getClaim("budget_id"));
        }

        assertEquals(atVerification, principal.lookups.get(), "a custom claim is read from the principal only once");
    }

    @Test
    void aCustomClaimWithoutAValueIsAnsweredAsSmallryeAnswersIt() {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("user-1");
        claims.setClaim("note", null);
        CountingPrincipal plain = new CountingPrincipal(claims);
        JsonWebToken read = VerifiedJwt.of(new CountingPrincipal(claims));
        assertEquals(plain.<Object>getClaim("note"), read.<Object>getClaim("note"));
    }

    @Test
    void wrapsOnce() {
        JsonWebToken read = VerifiedJwt.of(principal());
        assertSame(read, VerifiedJwt.of(read));
        assertNull(VerifiedJwt.of(null));
    }
}

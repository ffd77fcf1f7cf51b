package dev.tollgate.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final AtomicInteger fullChecks = new AtomicInteger();

    /** Tokens are "good-<exp epoch second>" (verified) or anything else (refused). */
    private final VerifiedTokenCache.Verifier<JsonWebToken, ParseException> verifier = token -> {
        fullChecks.incrementAndGet();
        if (!token.startsWith("good-")) {
            throw new ParseException("refused");
        }
        return new Token(Long.parseLong(token.substring(5)));
    };

    private final VerifiedTokenCache<JsonWebToken> cache = new VerifiedTokenCache<>(JsonWebToken::getExpirationTime,
            Duration.ofSeconds(60), 100, clock, () -> clock.millis() * 1_000_000L, Runnable::run);

    @Test
    void aTokenIsCheckedOnceWhileItsEntryLives() throws Exception {
        String token = "good-" + (clock.instant().getEpochSecond() + 300);
        JsonWebToken first = cache.verify(token, verifier);
        clock.advance(Duration.ofSeconds(30));
        assertSame(first, cache.verify(token, verifier));
        assertEquals(1, fullChecks.get());
        assertEquals(1, cache.size());
        assertTrue(cache.remembers(token));
    }

    @Test
    void anEntryLivesAtMostTheTtl() throws Exception {
        String token = "good-" + (clock.instant().getEpochSecond() + 300);
        cache.verify(token, verifier);
        clock.advance(Duration.ofSeconds(61));
        cache.verify(token, verifier);
        assertEquals(2, fullChecks.get(), "checked again after the TTL");
    }

    @Test
    void anEntryIsNeverTrustedPastItsTokensExp() throws Exception {
        String token = "good-" + (clock.instant().getEpochSecond() + 10);
        cache.verify(token, verifier);
        clock.advance(Duration.ofSeconds(11));
        cache.verify(token, verifier); // the full check decides (here it passes: the fake ignores exp)
        assertEquals(2, fullChecks.get(), "past exp the remembered entry was not used");
    }

    @Test
    void refusalsAreNeverRemembered() {
        assertThrows(ParseException.class, () -> cache.verify("forged", verifier));
        assertThrows(ParseException.class, () -> cache.verify("forged", verifier));
        assertEquals(2, fullChecks.get());
        assertEquals(0, cache.size());
    }

    @Test
    void aTokenAlreadyExpiredByOurClockIsNotRemembered() throws Exception {
        // A verifier with clock-skew grace may accept a token just past exp; the cache must not extend that.
        String token = "good-" + (clock.instant().getEpochSecond() - 1);
        cache.verify(token, verifier);
        cache.verify(token, verifier);
        assertEquals(2, fullChecks.get());
        assertEquals(0, cache.size());
    }

    private record Token(long exp) implements JsonWebToken {
        @Override
        public String getName() {
            return "user";
        }

        @Override
        public Set<String> getClaimNames() {
            return Set.of("exp");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String claimName) {
            return (T) Map.of("exp", (Object) exp).get(claimName);
        }

        @Override
        public long getExpirationTime() {
            return exp;
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public long millis() {
            return now.toEpochMilli();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

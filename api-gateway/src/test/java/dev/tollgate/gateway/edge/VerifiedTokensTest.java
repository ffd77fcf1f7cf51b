package dev.tollgate.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

/** The verified-token cache's rules, with a clock and a cache ticker the test moves by hand. */
class VerifiedTokensTest {

    static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    /** Wall clock and cache ticker, moved together unless a test moves only one. */
    static final class ManualTime extends Clock implements Ticker {
        final AtomicLong millis = new AtomicLong(T0.toEpochMilli());
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
            nanos.addAndGet(d.toNanos());
        }

        @Override
        public long read() {
            return nanos.get();
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** A stand-in for the RS256 check: knows which tokens are good, counts how often it is asked. */
    static final class CountingVerifier {
        final Map<String, VerifiedToken> good = new HashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        final ManualTime time;

        CountingVerifier(ManualTime time) {
            this.time = time;
        }

        Optional<VerifiedToken> verify(String token) {
            calls.incrementAndGet();
            VerifiedToken t = good.get(token);
            // Like smallrye-jwt: exp is checked (here without skew grace).
            return t != null && t.isValidAt(time.millis()) ? Optional.of(t) : Optional.empty();
        }
    }

    final ManualTime time = new ManualTime();
    final CountingVerifier verifier = new CountingVerifier(time);

    VerifiedTokens cache(Duration ttl, long maxEntries) {
        return new VerifiedTokens(verifier::verify, ttl, maxEntries, time, time, Runnable::run);
    }

    VerifiedToken expiringIn(Duration d) {
        return new VerifiedToken("alice", T0.plus(d).getEpochSecond());
    }

    @Test
    void aRepeatedTokenIsVerifiedOnce() {
        verifier.good.put("tok", expiringIn(Duration.ofHours(1)));
        VerifiedTokens tokens = cache(Duration.ofMinutes(1), 100);
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.of("alice"), tokens.verify("tok").map(VerifiedToken::subject));
        }
        assertEquals(1, verifier.calls.get());
    }

    @Test
    void failuresAreNeverRemembered() {
        VerifiedTokens tokens = cache(Duration.ofMinutes(1), 100);
        for (int i = 0; i < 3; i++) {
            assertTrue(tokens.verify("forged").isEmpty());
        }
        assertEquals(3, verifier.calls.get());
        assertFalse(tokens.remembers("forged"));
    }

    @Test
    void anEntryIsNeverTrustedPastTheTokensExpEvenIfTheCacheStillHoldsIt() {
        verifier.good.put("tok", expiringIn(Duration.ofSeconds(30)));
        VerifiedTokens tokens = cache(Duration.ofMinutes(10), 100);
        assertTrue(tokens.verify("tok").isPresent());
        // Only the wall clock moves: the cache's own ticker would keep the entry, the exp check must not.
        time.millis.addAndGet(Duration.ofSeconds(30).toMillis());
        assertTrue(tokens.verify("tok").isEmpty());
        assertEquals(2, verifier.calls.get(), "an expired entry goes back to full verification");
        assertFalse(tokens.remembers("tok"));
    }

    @Test
    void anEntryLivesAtMostTheTtlThenTheTokenIsVerifiedAgain() {
        verifier.good.put("tok", expiringIn(Duration.ofHours(1)));
        VerifiedTokens tokens = cache(Duration.ofSeconds(60), 100);
        tokens.verify("tok");
        time.advance(Duration.ofSeconds(59));
        tokens.verify("tok");
        assertEquals(1, verifier.calls.get());
        time.advance(Duration.ofSeconds(1));
        assertTrue(tokens.verify("tok").isPresent());
        assertEquals(2, verifier.calls.get());
    }

    @Test
    void anEntryLivesAtMostUntilExpWhenThatIsSoonerThanTheTtl() {
        verifier.good.put("tok", expiringIn(Duration.ofSeconds(10)));
        VerifiedTokens tokens = cache(Duration.ofMinutes(10), 100);
        tokens.verify("tok");
        time.advance(Duration.ofSeconds(10));
        assertFalse(tokens.remembers("tok"), "evicted by the cache itself at exp");
        assertTrue(tokens.verify("tok").isEmpty());
    }

    @Test
    void aTokenTheVerifierAcceptsAfterExpIsNotRemembered() {
        // smallrye-jwt accepts a token up to its clock skew (60 s) after exp; the cache must not extend that.
        VerifiedToken late = expiringIn(Duration.ofSeconds(-5));
        VerifiedTokens tokens = new VerifiedTokens(t -> {
            verifier.calls.incrementAndGet();
            return Optional.of(late);
        }, Duration.ofMinutes(1), 100, time, time, Runnable::run);
        assertTrue(tokens.verify("late").isPresent());
        assertFalse(tokens.remembers("late"));
        tokens.verify("late");
        assertEquals(2, verifier.calls.get());
    }

    @Test
    void theCacheIsBounded() {
        VerifiedTokens tokens = cache(Duration.ofMinutes(1), 50);
        for (int i = 0; i < 500; i++) {
            verifier.good.put("tok" + i, expiringIn(Duration.ofHours(1)));
            tokens.verify("tok" + i);
        }
        assertTrue(tokens.size() <= 50, "size " + tokens.size());
    }

    @Test
    void differentTokensOfOneUserAreDifferentEntries() {
        verifier.good.put("first", new VerifiedToken("alice", T0.plusSeconds(3600).getEpochSecond()));
        verifier.good.put("second", new VerifiedToken("bob", T0.plusSeconds(3600).getEpochSecond()));
        VerifiedTokens tokens = cache(Duration.ofMinutes(1), 100);
        assertEquals("alice", tokens.verify("first").orElseThrow().subject());
        assertEquals("bob", tokens.verify("second").orElseThrow().subject());
        assertTrue(tokens.verify("first-but-not-quite").isEmpty());
    }
}

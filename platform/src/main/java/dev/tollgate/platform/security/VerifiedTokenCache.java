package dev.tollgate.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executor;
import java.util.function.ToLongFunction;

import dev.tollgate.platform.store.Sha256;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Tokens whose full verification succeeded, remembered (as whatever the caller keeps of one: smallrye-jwt's principal
 * in every service, the gateway edge's own record) so that a caller presenting the same bearer token request after
 * request (a user's API-key token through the gateway, a neighbour's service token, reused for minutes) costs one RS256
 * signature check per entry instead of one per request: on the purchase path that check was 9-16 % of catalog's and
 * credits' CPU (JFR, {@code java.math}).
 *
 * <p>Safe because a token's signature covers every claim, so the same bytes verify
 * the same way until {@code exp}. An entry lives at most until its token's {@code exp} and at most {@code ttl}; every
 * hit checks {@code exp} against the clock again; only successes are kept, so a forged or expired token pays the full
 * check every time. Keyed by the token's SHA-256; a value may keep the raw token (smallrye-jwt's principal does, as any
 * request's principal does) for at most {@code ttl}. What it gives up: a token verified under a public key
 * that is then rotated away stays accepted for at most {@code ttl} (keys are files read at start, so a rotation is a
 * restart anyway). Not for a verifier configured with a maximum token age ({@code mp.jwt.verify.token.age}, unset
 * here): an entry could outlive it by up to {@code ttl}.
 */
public final class VerifiedTokenCache<T> {

    /** The full check (signature, issuer, audience, expiry): the token's value, or null or an exception if refused. */
    @FunctionalInterface
    public interface Verifier<T, E extends Exception> {
        T verify(String token) throws E;
    }

    private final ToLongFunction<T> expiresAtEpochSecond;
    private final Clock clock;
    private final Cache<String, T> entries;

    /**
     * @param expiresAtEpochSecond a verified token's {@code exp}
     * @param ttl the longest an entry lives, however far its token's {@code exp}
     * @param maxEntries bound on the number of remembered tokens (least recently and least often used go first)
     * @param clock the wall clock each token's {@code exp} is compared with
     * @param ticker the cache's own monotonic time source for eviction ({@code Ticker.systemTicker()} but in tests)
     * @param maintenance where the cache does its eviction work
     */
    public VerifiedTokenCache(ToLongFunction<T> expiresAtEpochSecond, Duration ttl, long maxEntries, Clock clock,
            Ticker ticker, Executor maintenance) {
        if (ttl.isNegative() || maxEntries < 0) {
            throw new IllegalArgumentException("the verified-token cache needs a TTL >= 0 and a size >= 0");
        }
        this.expiresAtEpochSecond = expiresAtEpochSecond;
        this.clock = clock;
        long ttlNanos = ttl.toNanos();
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).executor(maintenance).ticker(ticker)
                .expireAfter(new Expiry<String, T>() {
                    @Override
                    public long expireAfterCreate(String key, T token, long currentTime) {
                        long untilExp = Duration.ofMillis(expiresAtEpochSecond.applyAsLong(token) * 1000L
                                - clock.millis()).toNanos();
                        return Math.max(0, Math.min(ttlNanos, untilExp));
                    }

                    @Override
                    public long expireAfterUpdate(String key, T token, long currentTime, long current) {
                        return expireAfterCreate(key, token, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, T token, long currentTime, long current) {
                        return current; // reading never extends an entry's life
                    }
                }).build();
    }

    /**
     * The token's value if it is valid now: remembered while its entry lives, else from the full check (whose refusal,
     * null or an exception, is passed on and never remembered).
     */
    public <E extends Exception> T verify(String token, Verifier<T, E> fullCheck) throws E {
        String key = digest(token);
        T remembered = entries.getIfPresent(key);
        if (remembered != null) {
            if (validNow(remembered)) {
                return remembered;
            }
            entries.invalidate(key);
        }
        T verified = fullCheck.verify(token);
        // Only while valid by our own clock, not inside the verifier's clock-skew grace after exp.
        if (verified != null && validNow(verified)) {
            entries.put(key, verified);
        }
        return verified;
    }

    /** Whether a verification of this token is remembered now (for tests and diagnostics). */
    public boolean remembers(String token) {
        return entries.getIfPresent(digest(token)) != null;
    }

    /** How many verified tokens are remembered now (for tests and diagnostics). */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    /** A token is valid strictly before its {@code exp} (RFC 7519, 4.1.4). */
    private boolean validNow(T token) {
        return clock.millis() < expiresAtEpochSecond.applyAsLong(token) * 1000L;
    }

    private static String digest(String token) {
        return Base64.getEncoder().withoutPadding().encodeToString(Sha256.of(token));
    }
}

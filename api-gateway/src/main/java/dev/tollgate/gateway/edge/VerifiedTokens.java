package dev.tollgate.gateway.edge;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.http.VerifiedTokenCache;

/**
 * Remembers tokens whose verification succeeded, so a client sending the same bearer token request after request
 * costs one RS256 signature check per entry lifetime instead of one per request.
 *
 * <p>Safe because a token is immutable and its signature covers every claim: the same bytes verify the same way
 * until {@code exp}. So an entry lives at most until the token's {@code exp} and at most {@code ttl}; on every use
 * its {@code exp} is checked against the clock again (an entry is never trusted past {@code exp}, whatever the
 * cache's own eviction did), and only successes are kept, so a bad token costs a full check every time. Tokens are
 * keyed by their SHA-256, so the cache holds no bearer credentials and stays small.
 *
 * <p>The cache never accepts more than full verification would: a token in the verifier's clock-skew grace after
 * {@code exp} is a miss here and gets the full check.
 */
public final class VerifiedTokens {

    private final Function<String, Optional<VerifiedToken>> verifier;
    private final Clock clock;
    private final Cache<String, VerifiedToken> entries;

    /**
     * @param verifier the full check (signature, issuer, audience, expiry); empty when the token is refused
     * @param ttl the longest an entry lives, however far its token's {@code exp}
     * @param maxEntries bound on the number of remembered tokens (least recently and least often used go first)
     * @param clock wall clock the token's {@code exp} is compared with
     * @param ticker the cache's own time source for eviction
     * @param maintenance where the cache does its eviction work ({@code Runnable::run} in tests)
     */
    public VerifiedTokens(Function<String, Optional<VerifiedToken>> verifier, Duration ttl, long maxEntries,
            Clock clock, Ticker ticker, Executor maintenance) {
        if (ttl.isNegative() || maxEntries < 0) {
            throw new IllegalArgumentException("the verified-token cache needs a TTL >= 0 and a size >= 0");
        }
        this.verifier = verifier;
        this.clock = clock;
        long ttlNanos = ttl.toNanos();
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).ticker(ticker).executor(maintenance)
                .expireAfter(new Expiry<String, VerifiedToken>() {
                    @Override
                    public long expireAfterCreate(String key, VerifiedToken token, long currentTime) {
                        long untilExp = Duration.ofMillis(token.expiresAtEpochSecond() * 1000L - clock.millis())
                                .toNanos();
                        return Math.max(0, Math.min(ttlNanos, untilExp));
                    }

                    @Override
                    public long expireAfterUpdate(String key, VerifiedToken token, long currentTime,
                            long currentDuration) {
                        return expireAfterCreate(key, token, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, VerifiedToken token, long currentTime,
                            long currentDuration) {
                        return currentDuration; // reading never extends an entry's life
                    }
                }).build();
    }

    /** The token's claims if it is valid now: from the cache while its entry lives, else from full verification. */
    public Optional<VerifiedToken> verify(String token) {
        String key = VerifiedTokenCache.digest(token);
        VerifiedToken remembered = entries.getIfPresent(key);
        if (remembered != null) {
            if (remembered.isValidAt(clock.millis())) {
                return Optional.of(remembered);
            }
            entries.invalidate(key);
        }
        Optional<VerifiedToken> verified = verifier.apply(token);
        // Only successes, and only while valid by our own clock (not inside the verifier's skew grace after exp).
        if (verified.isPresent() && verified.get().isValidAt(clock.millis())) {
            entries.put(key, verified.get());
        }
        return verified;
    }

    /** Whether a verification of this token is remembered now (for tests and diagnostics). */
    boolean remembers(String token) {
        return entries.getIfPresent(VerifiedTokenCache.digest(token)) != null;
    }

    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

}

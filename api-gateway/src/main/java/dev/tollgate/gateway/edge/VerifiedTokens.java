package dev.tollgate.gateway.edge;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.platform.security.VerifiedTokenCache;

/**
 * Remembers tokens whose verification succeeded, so a client sending the same bearer token request after request
 * costs one RS256 signature check per entry lifetime instead of one per request.
 *
 * <p>Safe because a token is immutable and its signature covers every claim: the same bytes verify the same way
 * until {@code exp}. So an entry lives at most until the token's {@code exp} and at most {@code ttl}; on every use
 * its {@code exp} is checked against the clock again (an entry is never trusted past {@code exp}, whatever the
 * cache's own eviction did), and only successes are kept, so a bad token costs a full check every time. Tokens are
 * keyed by their SHA-256, so the cache holds no bearer credentials and stays small. The mechanism is platform's
 * {@link VerifiedTokenCache}, which every service uses for its own bearer tokens too; this is the edge's view of it.
 *
 * <p>The cache never accepts more than full verification would: a token in the verifier's clock-skew grace after
 * {@code exp} is a miss here and gets the full check.
 */
public final class VerifiedTokens {

    private final Function<String, Optional<VerifiedToken>> verifier;
    private final VerifiedTokenCache<VerifiedToken> entries;

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
        this.verifier = verifier;
        this.entries = new VerifiedTokenCache<>(VerifiedToken::expiresAtEpochSecond, ttl, maxEntries, clock, ticker,
                maintenance);
    }

    /** The token's claims if it is valid now: from the cache while its entry lives, else from full verification. */
    public Optional<VerifiedToken> verify(String token) {
        return Optional.ofNullable(entries.verify(token, t -> verifier.apply(t).orElse(null)));
    }

    /** Whether a verification of this token is remembered now (for tests and diagnostics). */
    boolean remembers(String token) {
        return entries.remembers(token);
    }

    long size() {
        return entries.size();
    }
}

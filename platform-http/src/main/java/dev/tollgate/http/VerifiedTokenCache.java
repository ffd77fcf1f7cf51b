package dev.tollgate.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Tokens whose full verification succeeded, remembered so that a caller presenting the same bearer token request after
 * request (a user's API-key token through the gateway, a neighbour's service token, reused for minutes) costs one RS256
 * signature check per entry instead of one per request: on the purchase path that check was 9-16 % of catalog's and
 * credits' CPU (JFR, {@code java.math}).
 *
 * <p>Safe for the same reason as the gateway's cache: a token's signature covers every claim, so the same bytes verify
 * the same way until {@code exp}. An entry lives at most until its token's {@code exp} and at most {@code ttl}; every
 * hit checks {@code exp} against the clock again; only successes are kept, so a forged or expired token pays the full
 * check every time. Keyed by the token's SHA-256; the values are smallrye-jwt's principals, which keep the raw token
 * as any request's principal does, for at most {@code ttl}. What it gives up: a token verified under a public key
 * that is then rotated away stays accepted for at most {@code ttl} (keys are files read at start, so a rotation is a
 * restart anyway). Not for a verifier configured with a maximum token age ({@code mp.jwt.verify.token.age}, unset
 * here): an entry could outlive it by up to {@code ttl}.
 */
public final class VerifiedTokenCache {

    /** The full check: signature, issuer, audience, expiry. */
    @FunctionalInterface
    public interface Verifier {
        JsonWebToken verify(String token) throws ParseException;
    }

    private final Verifier verifier;
    private final Clock clock;
    private final Cache<String, JsonWebToken> entries;

    /**
     * @param clock the wall clock each token's {@code exp} is compared with
     * @param ticker the cache's own monotonic time source for eviction ({@code Ticker.systemTicker()} but in tests)
     */
    public VerifiedTokenCache(Verifier verifier, Duration ttl, long maxEntries, Clock clock, Ticker ticker) {
        this.verifier = verifier;
        this.clock = clock;
        long ttlNanos = ttl.toNanos();
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).ticker(ticker)
                .expireAfter(new Expiry<String, JsonWebToken>() {
                    @Override
                    public long expireAfterCreate(String key, JsonWebToken token, long currentTime) {
                        long untilExp = Duration.ofMillis(token.getExpirationTime() * 1000L - clock.millis()).toNanos();
                        return Math.max(0, Math.min(ttlNanos, untilExp));
                    }

                    @Override
                    public long expireAfterUpdate(String key, JsonWebToken token, long currentTime, long current) {
                        return expireAfterCreate(key, token, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, JsonWebToken token, long currentTime, long current) {
                        return current; // reading never extends an entry's life
                    }
                }).build();
    }

    /** The token's claims if it is valid now: remembered while its entry lives, else from the full check. */
    public JsonWebToken verify(String token) throws ParseException {
        String key = digest(token);
        JsonWebToken remembered = entries.getIfPresent(key);
        if (remembered != null) {
            if (validNow(remembered)) {
                return remembered;
            }
            entries.invalidate(key);
        }
        JsonWebToken verified = verifier.verify(token);
        // Only while valid by our own clock, not inside the verifier's clock-skew grace after exp.
        if (validNow(verified)) {
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

    private boolean validNow(JsonWebToken token) {
        return token.getExpirationTime() * 1000L > clock.millis();
    }

    /** A token's SHA-256, base64: what a cache of verified tokens keys by, so that it holds no bearer credential. */
    public static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

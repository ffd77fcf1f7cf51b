package dev.tollgate.gateway.edge;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Token buckets by key (a token's subject, a client address): {@code requestsPerSecond} sustained, {@code burst} at
 * once. Buckets of keys not seen for ten minutes are forgotten, so the map stays bounded. In memory, per gateway
 * replica: with n replicas a client gets up to n times the rate, which is fine for protection, not for billing.
 */
public final class RateLimiter {

    private final int requestsPerSecond;
    private final int burst;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(200_000).build();

    public RateLimiter(int requestsPerSecond, int burst) {
        if (requestsPerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate limits need at least one request per second and a burst of one");
        }
        this.requestsPerSecond = requestsPerSecond;
        this.burst = burst;
    }

    /** Empty if the request may pass; otherwise how long until it would (for {@code Retry-After}). */
    public Optional<Duration> acquire(String key) {
        ConsumptionProbe probe = buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty()
                : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(burst)
                .refillGreedy(requestsPerSecond, Duration.ofSeconds(1)).build()).build();
    }
}

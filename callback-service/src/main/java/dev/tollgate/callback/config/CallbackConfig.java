package dev.tollgate.callback.config;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** callback-service settings; every default is documented in application.properties. */
@ConfigMapping(prefix = "tollgate.callbacks")
public interface CallbackConfig {

    Retry retry();

    Http http();

    Dispatch dispatch();

    Egress egress();

    Signing signing();

    /** How often the outcome relay looks for outcomes a crash left unpublished (read by the scheduler). */
    Duration outboxSweepInterval();

    /**
     * How long published outcomes stay in their deliveries before the relay removes them, so that one bulk write
     * removes every outcome published meanwhile instead of one write per round. Nothing waits for the removal; a crash
     * meanwhile leaves the outcomes for the sweep, which publishes them again under the same ids. {@code 0}: removed
     * right after each round.
     */
    @WithDefault("PT0.2S")
    Duration outboxRemovalDelay();

    interface Retry {
        /**
         * The wait before each attempt, counted from the end of the previous one; the first is normally zero
         * (attempt at once). Its length is the number of attempts.
         */
        @WithDefault("0s,5s,5m,30m,2h,5h,10h,10h")
        List<Duration> schedule();

        /** Each wait is stretched or shrunk by a random fraction up to this, so retries of many runs spread out. */
        @WithDefault("0.2")
        double jitter();

        /** A receiver's {@code Retry-After} may push the next attempt out, but never further than this. */
        @WithDefault("PT6H")
        Duration maxRetryAfter();
    }

    interface Http {
        @WithDefault("PT5S")
        Duration connectTimeout();

        /** From the start of the attempt (name resolution included) to the end of the response. */
        @WithDefault("PT15S")
        Duration totalTimeout();
    }

    interface Dispatch {
        /** Attempts in flight at once to one host (scheme, host and port); the rest wait in that host's lane. */
        @WithDefault("16")
        int perHostConcurrency();

        /** Deliveries waiting in one host's lane in memory; beyond this they stay in MongoDB until a slot frees. */
        @WithDefault("1000")
        int laneCapacity();

        /** An attempt's claim on a delivery; another replica may take it over after this. Must exceed the total timeout. */
        @WithDefault("PT1M")
        Duration lease();

        /**
         * How long the intake waits for a Kafka batch's first attempts, posted before their deliveries are stored, so
         * that each delivery is stored once with its attempt. An attempt still posting then (a slow receiver) is
         * stored claimed and records itself when done; the partition waits at most this long per batch.
         */
        @WithDefault("PT0.5S")
        Duration firstPostWait();

        /**
         * Whether the first copy of a lifecycle event ({@code FreshRecords}) is checked against the store too, as every
         * record is that may be a replay. Off: workflow-service's relay publishes each event once unmarked and marks
         * what it publishes again. On: for a topic other producers also write to, which may repeat an event unmarked.
         */
        @WithDefault("false")
        boolean readFirstCopies();

        /** How often due retries (and deliveries left by a crashed replica) are looked for (read by the scheduler). */
        Duration pollInterval();
    }

    interface Egress {
        /**
         * Development and tests only: also allow plain {@code http://127.0.0.1} (the IP literal, no name). Logged
         * loudly at start. Production: https to public addresses only.
         */
        @WithDefault("false")
        boolean allowLoopbackHttp();
    }

    interface Signing {
        /** After a rotation, the previous secret also signs for this long, so receivers can switch without gaps. */
        @WithDefault("PT24H")
        Duration rotationWindow();

        /**
         * How long a secret read for signing is kept in memory. Rotations through this replica take effect at once;
         * another replica's rotation reaches this one's signatures within this time.
         */
        @WithDefault("PT5S")
        Duration cacheTtl();

        /** Users whose secrets are kept in memory at most (the least recently used go first). */
        @WithDefault("100000")
        long cacheSize();
    }
}

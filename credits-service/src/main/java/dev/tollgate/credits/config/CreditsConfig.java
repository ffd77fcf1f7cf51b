package dev.tollgate.credits.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** credits-service settings; defaults are documented in application.properties. */
@ConfigMapping(prefix = "tollgate.credits")
public interface CreditsConfig {

    Holds holds();

    History history();

    Outbox outbox();

    AccountCache accountCache();

    /** How often expired grants are written off and expired holds released (read by the scheduler). */
    Duration sweepInterval();

    /** How often an account update may lose the race for its version before the request answers 503. */
    @WithDefault("500")
    int maxConflictRetries();

    interface Holds {
        /** How long a hold lives when the caller names no TTL; an unresolved hold is then released by a sweep. */
        @WithDefault("PT10M")
        Duration defaultTtl();

        @WithDefault("PT24H")
        Duration maxTtl();
    }

    /**
     * Each account as this process last wrote it, reused to decide the next change to it without reading it first
     * (that change's write is conditional on the version, so a copy another replica made stale only costs a retry).
     */
    interface AccountCache {
        /** How long a written account is remembered. */
        @WithDefault("PT5S")
        Duration ttl();

        /** How many accounts are remembered at most. */
        @WithDefault("10000")
        long maxEntries();
    }

    interface Outbox {
        /** How often the relay looks for facts a crash left behind (read by the scheduler). */
        Duration sweepInterval();
    }

    interface History {
        @WithDefault("50")
        int defaultLimit();

        @WithDefault("500")
        int maxLimit();
    }
}

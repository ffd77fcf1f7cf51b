package dev.tollgate.catalog.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** catalog-service settings; defaults are documented in application.properties. */
@ConfigMapping(prefix = "tollgate.catalog")
public interface CatalogConfig {

    /** Where agents reach the platform (the gateway): used in {@code example_tool_call}. */
    String publicBaseUrl();

    /** AES-256 key (base64) that encrypts budget credentials at rest. */
    String credentialsKey();

    Fetch fetch();

    Purchases purchases();

    Vendors vendors();

    Caches caches();

    interface Fetch {
        @WithDefault("20")
        int defaultPageSize();

        @WithDefault("100")
        int maxPageSize();
    }

    interface Purchases {
        /** How long credit is held for one purchase: longer than any tool call may take. */
        @WithDefault("PT5M")
        Duration holdTtl();

        /** An order still unsettled after this long was interrupted (a crash): the sweep settles it. */
        @WithDefault("PT2M")
        Duration recoverAfter();

        /** How often the recovery sweep runs (read by the scheduler). */
        Duration sweepInterval();
    }

    /**
     * Short-lived copies of what every purchase and authorization reads and admins rarely change (products, budget
     * documents, which budget enables which product). This replica's own writes drop the copy at once; another
     * replica's writes are seen within {@link #ttl()}.
     */
    interface Caches {
        /** How long a copy is used before it is read again. */
        @WithDefault("PT5S")
        Duration ttl();

        /** How many entries each cache holds at most. */
        @WithDefault("10000")
        long maxEntries();
    }

    interface Vendors {
        @WithDefault("PT5S")
        Duration connectTimeout();

        @WithDefault("PT15S")
        Duration totalTimeout();

        /** Lifetime of the token a vendor call carries. */
        @WithDefault("PT2M")
        Duration tokenTtl();

        /** Development and tests only: lets a vendor endpoint be http://127.0.0.1 (production: https only). */
        @WithDefault("false")
        boolean allowLoopbackHttp();

        /**
         * Private vendor endpoints the operator trusts (none by default): host names, matched exactly, and addresses
         * or CIDR ranges. Anything else must be https to a public address (EgressPolicy).
         */
        Optional<List<String>> privateAllowList();
    }
}

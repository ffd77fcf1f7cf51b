package dev.tollgate.gateway.config;

import java.time.Duration;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** api-gateway settings; every default is documented in application.properties. */
@ConfigMapping(prefix = "tollgate.gateway")
public interface GatewayConfig {

    Upstreams upstreams();

    Proxy proxy();

    Limits limits();

    RateLimits rateLimits();

    Tokens tokens();

    /** Where each service answers (never exposed publicly: only the gateway is). */
    interface Upstreams {
        String credits();

        String catalog();

        String workflow();

        String callback();
    }

    interface Proxy {
        /** A service that does not accept a connection within this is answered as down (503). */
        @WithDefault("PT2S")
        Duration connectTimeout();

        /**
         * A service that sends nothing for this long on a request meant to wait (a purchase, a run's status read or
         * event stream) is given up on (504).
         */
        @WithDefault("PT120S")
        Duration idleTimeout();

        /** The same for every other request, which a service that is well answers in milliseconds (504). */
        @WithDefault("PT30S")
        Duration answerTimeout();

        /**
         * Requests in flight to one service at most; past it a request is answered 503 {@code overloaded} with
         * Retry-After at once instead of waiting for a connection.
         */
        @WithDefault("64")
        int maxInFlight();

        /** A service's own figure in place of {@link #maxInFlight()}; a service not named here takes that one. */
        MaxInFlightTo maxInFlightTo();

        interface MaxInFlightTo {
            OptionalInt credits();

            OptionalInt catalog();

            OptionalInt workflow();

            OptionalInt callback();
        }

        /**
         * Waiting requests (a run status read with {@code wait_seconds}, a run's event stream) held open to one service
         * at most, counted apart from {@link #maxInFlight()}: they cost the service nothing while they wait. Past it,
         * 503 {@code overloaded} with Retry-After.
         */
        @WithDefault("4096")
        int maxWaiting();
    }

    interface Limits {
        /** Request bodies larger than this are refused with 413 before reaching a service, streamed ones too. */
        @WithDefault("1048576")
        long maxBodyBytes();

        /** Request URIs (path and query) longer than this are refused with 414. */
        @WithDefault("4096")
        int maxUriLength();

        /** Requests whose headers, names and values together, are larger than this are refused with 431. */
        @WithDefault("20480")
        long maxHeaderBytes();
    }

    interface RateLimits {
        /** Per access token (its subject); only requests carrying a valid token count. */
        Bucket perToken();

        /** Per client address, for every request (token or not): slows down key guessing at /auth/token too. */
        Bucket perIp();

        interface Bucket {
            /** Sustained requests per second. */
            int requestsPerSecond();

            /** How many may come at once above the sustained rate. */
            int burst();
        }
    }

    interface Tokens {
        /** Lifetime of the access tokens {@code POST /auth/token} issues. */
        @WithDefault("PT1H")
        Duration ttl();

        /** Successful token verifications remembered at the edge, so a token is not re-verified per request. */
        VerifiedCache verifiedCache();

        interface VerifiedCache {
            /** The longest a verification is trusted without checking the signature again (never past exp). */
            @WithDefault("PT60S")
            Duration ttl();

            /** How many distinct tokens are remembered at most. */
            @WithDefault("10000")
            long maxEntries();
        }
    }
}

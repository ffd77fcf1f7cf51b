package dev.tollgate.workflow.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** workflow-service settings; defaults are documented in application.properties. */
@ConfigMapping(prefix = "tollgate.workflow")
public interface WorkflowConfig {

    /** Where agents reach the platform (the gateway): {@code status_url} points there. */
    String publicBaseUrl();

    Callbacks callbacks();

    Outbox outbox();

    Limits limits();

    interface Callbacks {
        /** Development and tests only: accept http://127.0.0.1 callback URLs (production: https only). */
        @WithDefault("false")
        boolean allowLoopbackHttp();
    }

    interface Outbox {
        /** How often the relay looks for events a crash left in a run (read by the scheduler). */
        Duration sweepInterval();
    }

    interface Limits {
        @WithDefault("20000")
        int maxPromptLength();

        @WithDefault("16384")
        int maxMetadataBytes();

        @WithDefault("2048")
        int maxCallbackUrlLength();

        @WithDefault("200")
        int maxRequestIdLength();

        @WithDefault("500")
        int maxCancelReasonLength();
    }
}

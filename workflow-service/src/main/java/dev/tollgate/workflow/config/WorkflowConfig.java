package dev.tollgate.workflow.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** workflow-service settings; defaults are documented in application.properties. */
@ConfigMapping(prefix = "tollgate.workflow")
public interface WorkflowConfig {

    /** Where agents reach the platform (the gateway): {@code status_url} points there. */
    String publicBaseUrl();

    Callbacks callbacks();

    Models models();

    Outbox outbox();

    Limits limits();

    Worker worker();

    Definitions definitions();

    Authorizations authorizations();

    Admission admission();

    Indexes indexes();

    Watches watches();

    Fairness fairness();

    /** Sharing the workers between budgets (README "Fair to every tenant"). */
    interface Fairness {
        /**
         * Runs of one budget a worker process executes at once, for budgets without a limit of their own
         * ({@code /admin/run-limits}); {@code 0}: no limit but the worker's slots. Either way the slots are handed
         * out round robin across the budgets with requests waiting.
         */
        @WithDefault("0")
        int defaultMaxConcurrentRuns();

        /**
         * Run requests a worker reads ahead of its slots (its partitions are paused past it): how far behind a flood
         * another budget's request can be seen and run first.
         */
        @WithDefault("5000")
        int readAhead();

        /** How long a worker uses a budget's limit read earlier; a change through the admin API applies within it. */
        @WithDefault("PT5S")
        Duration limitCacheTtl();

        /**
         * A budget's triggers per second (per api replica) while another budget triggers too; a budget alone is never
         * paced. {@code 0}: never paced. See the admission package's BudgetPacing.
         */
        @WithDefault("100")
        double contendedTriggersPerSecond();

        /** A budget that triggered within this long counts as active (and so paces the others). */
        @WithDefault("PT2S")
        Duration contendedWindow();

        /** The longest a paced trigger waits for its slot; one whose slot is further away is refused 429. */
        @WithDefault("PT0.5S")
        Duration maxPacingDelay();
    }

    /** Status without polling: the long-poll ({@code ?wait_seconds}) and the Server-Sent Events stream of a run. */
    interface Watches {
        /**
         * Waiting requests and open streams one api replica holds at most; past it a new one is answered 503
         * {@code overloaded} with a {@code Retry-After} (a plain status read without {@code wait_seconds} is never
         * refused).
         */
        @WithDefault("10000")
        int maxWatching();

        /** An event stream ends after this long even if its run has not (the client reconnects and goes on). */
        @WithDefault("PT15M")
        Duration streamMaxDuration();

        /** How often an open stream sends a comment line, so idle connections are not closed by proxies. */
        @WithDefault("PT15S")
        Duration streamHeartbeat();
    }

    interface Indexes {
        /**
         * Above this many runs, a start that has to scan them before creating an index (the first start of a version
         * that adds one) does it in the background: the process starts at once, readiness stays down and a trigger
         * with a request_id answers 503 {@code starting} until the index exists. At or below it, the start waits.
         */
        @WithDefault("100000")
        long scanAtStartMaxRuns();
    }

    interface Admission {
        /**
         * Run requests waiting for a worker (the workers' consumer group lag) at which new triggers are refused with
         * 503 {@code overloaded} and a {@code Retry-After}, nothing queued. {@code 0} never refuses.
         */
        @WithDefault("500")
        long maxWaitingRequests();

        /** How often the queue is measured while triggers arrive (read by the scheduler). */
        Duration measureInterval();

        /** A measurement older than this (Kafka unreachable) is not used: triggers are taken. */
        @WithDefault("PT3S")
        Duration staleAfter();

        /** What a refusal's {@code Retry-After} says (whole seconds, at least 1). */
        @WithDefault("PT1S")
        Duration retryAfter();
    }

    interface Definitions {
        /**
         * How long a trigger or a worker may use a workflow definition read earlier instead of reading it again.
         * A change through this process's admin API applies at once here; other replicas see it within this time.
         * {@code 0} reads the definition on every use.
         */
        @WithDefault("PT5S")
        Duration cacheTtl();
    }

    interface Authorizations {
        /**
         * How long catalog-service's "allowed" for (budget, workflow, required credentials) is reused instead of
         * asking again on each trigger. Only "allowed" is remembered: a blocked trigger always asks (and opens its
         * approval requests). A workflow removed from a budget may still be triggered for up to this long.
         * {@code 0} asks the catalog on every trigger.
         */
        @WithDefault("PT5S")
        Duration cacheTtl();
    }

    interface Worker {
        /** Runs one worker process executes at once. */
        @WithDefault("8")
        int concurrency();

        /** How long a claim lasts without renewal; a dead worker's runs are taken over after this. */
        @WithDefault("PT10S")
        Duration leaseDuration();

        /** Claims of one run before it is failed with {@code worker_lost}. */
        @WithDefault("3")
        int maxAttempts();

        /** A run still queued this long after its request was published is requested again. */
        @WithDefault("PT1M")
        Duration requeueAfter();

        /** How often leases are renewed and expired ones looked for (read by the scheduler). */
        Duration sweepInterval();

        /**
         * How long the workers' consumer group waits for a silent member before handing its partitions to the others
         * (Kafka's {@code session.timeout.ms}; heartbeats every third of it).
         */
        @WithDefault("PT6S")
        Duration groupSessionTimeout();

        /**
         * This worker's static membership in the workers' consumer group (Kafka's {@code group.instance.id}): a name
         * that survives the process's restarts, the pod's name in Kubernetes. A worker restarted under it within the
         * session timeout takes back its own partitions without a rebalance; a worker stopped normally still leaves
         * the group at once. Unset (the default, and locally), the worker is a dynamic member.
         */
        Optional<String> groupInstanceId();

        /**
         * How long a tool step keeps asking for its purchase's outcome while catalog answers
         * {@code purchase_in_progress} or gives no answer; past it the attempt is handed back.
         */
        @WithDefault("PT2M")
        Duration purchaseOutcomeWait();
    }

    interface Models {
        /** Development and tests only: lets a model step's base_url be http://127.0.0.1 (production: https only). */
        @WithDefault("false")
        boolean allowLoopbackHttp();

        /**
         * Private model servers the operator trusts (none by default): host names, matched exactly, and addresses or
         * CIDR ranges. Anything else must be https to a public address (EgressPolicy).
         */
        Optional<List<String>> privateAllowList();
    }

    interface Callbacks {
        /** Development and tests only: accept http://127.0.0.1 callback URLs (production: https only). */
        @WithDefault("false")
        boolean allowLoopbackHttp();
    }

    interface Outbox {
        /** How often the relay looks for events a crash left in a run (read by the scheduler). */
        Duration sweepInterval();

        /**
         * How long a relay round waits for more events after the first before it sends: larger rounds, later events.
         * {@code 0}: a round starts at once, and batches whatever was handed over while the previous one was in flight.
         */
        @WithDefault("PT0S")
        Duration linger();

        /**
         * How long a worker's {@code run.started} may wait for the run's end before it is published alone: a
         * one-step run ends milliseconds after it starts, and then both go to Kafka in one round and are removed by
         * one update. The end itself never waits. A crash meanwhile leaves {@code run.started} in the run for the
         * sweep. {@code 0}: published and removed in its own round, like every other event.
         */
        @WithDefault("PT1S")
        Duration holdStarted();

        /**
         * How long published events stay in their runs before the relay removes them, so that one bulk write removes
         * the events of every run published meanwhile instead of one write per round (at 100 runs/s, 200 ms gathers
         * about 20 runs). Nothing waits for the removal; a crash meanwhile leaves the events for the sweep, which
         * publishes them again under the same ids. {@code 0}: removed right after each round.
         */
        @WithDefault("PT0.2S")
        Duration removalDelay();
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

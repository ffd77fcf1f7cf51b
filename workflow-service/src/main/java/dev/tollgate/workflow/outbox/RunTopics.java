package dev.tollgate.workflow.outbox;

/** The two topics a run's events go to; the outbox routes each stored event by its topic. */
public final class RunTopics {

    /** A run to execute (or execute again): what the workers consume. */
    public static final String REQUESTED = "workflow.run.requested";
    /** A run's lifecycle (started, ended): what callback-service consumes. */
    public static final String LIFECYCLE = "workflow.run.lifecycle";

    private RunTopics() {
    }
}

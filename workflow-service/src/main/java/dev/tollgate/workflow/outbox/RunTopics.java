package dev.tollgate.workflow.outbox;

/** The two topics a run's events go to; the outbox routes each stored event by its topic. */
public final class RunTopics {

    /** A run to execute (or execute again): what the workers consume. */
    public static final String REQUESTED = "workflow.run.requested";
    /** A run's lifecycle (started, ended): what callback-service consumes. */
    public static final String LIFECYCLE = "workflow.run.lifecycle";

    /** The header of a run request naming the run's budget (the worker's fair queue reads it, not the payload). */
    public static final String BUDGET_HEADER = "tollgate-budget";

    /** The header of a run request with its budget's limit on runs at once per worker (0: none), as triggered. */
    public static final String BUDGET_LIMIT_HEADER = "tollgate-budget-limit";

    private RunTopics() {
    }
}

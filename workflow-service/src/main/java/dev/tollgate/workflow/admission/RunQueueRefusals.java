package dev.tollgate.workflow.admission;

import jakarta.inject.Inject;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a trigger while the run queue is full on the event loop, before it is handed to a worker thread. Decided in
 * the endpoint, a refusal waited in the worker pool's queue behind the triggers taken before it, so under overload,
 * when refusals are most of the answers, they were as slow as everything else (issue 21: answers past 1 s). The
 * decision reads one volatile measurement ({@link RunQueueAdmission}); an exception thrown here is answered by the
 * service's exception mappers as the endpoint's would be: 503 {@code overloaded} with {@code Retry-After}.
 */
public class RunQueueRefusals {

    private final RunQueueAdmission admission;

    @Inject
    public RunQueueRefusals(RunQueueAdmission admission) {
        this.admission = admission;
    }

    // First of the endpoint's filters: Quarkus REST runs a non-blocking filter only ahead of every blocking one.
    @RunQueueAdmitted
    @ServerRequestFilter(nonBlocking = true, priority = 1)
    public void refuseWhileFull() {
        admission.admitOrRefuse();
    }
}

package dev.tollgate.workflow.worker;

import java.util.List;

import dev.tollgate.workflow.runs.Run;
import org.jboss.logging.Logger;

/**
 * Which queued runs untouched since {@code before} ({@code requeue-after} ago) have lost their request: those, once
 * the workers have taken every request published before that time. Behind a backlog longer than
 * {@code requeue-after} every queued run looks untouched, and requesting each again every sweep multiplied the
 * backlog; a steady flow of younger requests is no backlog (a lag of zero, asked for first, is rare under load, and
 * left a lost request waiting for a quiet moment). If the queue cannot be asked, none: a lost request waits for the
 * next sweep rather than risk a flood.
 */
final class StuckRequests {

    private static final Logger LOG = Logger.getLogger(StuckRequests.class);

    /** Whether the workers took every request published before the untouched runs' cut-off; may throw. */
    @FunctionalInterface
    interface OlderRequestsTaken {
        boolean check() throws Exception;
    }

    private StuckRequests() {
    }

    static List<Run> lost(List<Run> untouched, OlderRequestsTaken queue) {
        if (untouched.isEmpty()) {
            return List.of(); // the usual case: Kafka is not asked
        }
        try {
            if (!queue.check()) {
                LOG.debugf("%d queued runs untouched, and requests as old still wait for a worker: none requested "
                        + "again", untouched.size());
                return List.of();
            }
            return untouched;
        } catch (Exception e) {
            LOG.debugf("could not ask the run queue (%s): no queued run requested again this sweep", e.toString());
            return List.of();
        }
    }
}

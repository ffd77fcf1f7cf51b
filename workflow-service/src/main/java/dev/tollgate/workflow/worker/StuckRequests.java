package dev.tollgate.workflow.worker;

import java.util.List;

import dev.tollgate.workflow.runs.Run;
import org.jboss.logging.Logger;

/**
 * Which queued runs untouched for {@code requeue-after} have lost their request. Not one while requests wait for the
 * workers: behind a backlog longer than {@code requeue-after} every queued run looks untouched, and requesting each
 * again every sweep multiplied the backlog (load amplification when the platform is already behind). Only once the
 * workers have taken every request published (the group's lag is 0) is a run still queued and untouched one whose
 * request was lost (a relay that died before publishing, a worker that died after committing its offset before
 * writing). If the queue cannot be measured, none: a lost request waits for the next sweep rather than risk a flood.
 */
final class StuckRequests {

    private static final Logger LOG = Logger.getLogger(StuckRequests.class);

    /** The queue's length, in requests published and not yet taken; may throw when Kafka cannot be asked. */
    @FunctionalInterface
    interface WaitingRequests {
        long count() throws Exception;
    }

    private StuckRequests() {
    }

    static List<Run> lost(List<Run> untouched, WaitingRequests queue) {
        if (untouched.isEmpty()) {
            return List.of(); // the usual case: Kafka is not asked
        }
        try {
            long waiting = queue.count();
            if (waiting > 0) {
                LOG.debugf("%d queued runs untouched, %d requests still waiting for a worker: none requested again",
                        untouched.size(), waiting);
                return List.of();
            }
            return untouched;
        } catch (Exception e) {
            LOG.debugf("could not measure the run queue (%s): no queued run requested again this sweep", e.toString());
            return List.of();
        }
    }
}

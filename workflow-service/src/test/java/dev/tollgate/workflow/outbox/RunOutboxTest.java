package dev.tollgate.workflow.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.workflow.runs.RunStatus;
import org.junit.jupiter.api.Test;

/** What the outbox knows of runs without importing them: it must stay what the runs package stores. */
class RunOutboxTest {

    @Test
    void theQueuedStatusTheSweepLooksForIsTheOneRunsAreStoredWith() {
        assertEquals(RunStatus.QUEUED.name(), RunOutbox.QUEUED);
    }
}

package dev.tollgate.workflow.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.runs.KafkaEvents;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunEvents;
import dev.tollgate.workflow.runs.RunRepository;
import dev.tollgate.workflow.runs.RunStatus;
import dev.tollgate.workflow.support.Fixtures;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A worker's {@code run.started} and {@code run.completed}, handed over a moment apart, go to Kafka in one round and
 * leave the run together: {@code run.started} waits for the run's end, then one update removes both.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(OutboxHoldStartedTest.LongHold.class)
class OutboxHoldStartedTest {

    /** A hold far longer than the test, so only the run's end can release run.started; no sweep. */
    public static class LongHold implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.workflow.outbox.hold-started", "PT60S",
                    "tollgate.workflow.outbox.sweep-interval", "1h");
        }
    }

    @Inject
    OutboxRelay relay;

    @Inject
    RunOutbox outbox;

    @Inject
    RunRepository runs;

    @Inject
    RunEvents events;

    @Inject
    MeterRegistry metrics;

    @Test
    void runStartedWaitsForTheRunsEndThenBothGoToKafkaInOneRoundAndLeaveTheRunInOneUpdate() {
        Run run = Fixtures.run("hold-started-test", RunStatus.RUNNING);
        run.attempts = 1;
        PendingEvent started = events.lifecycle(run, "run.started", 1);
        run.pendingEvents = new ArrayList<>(List.of(started));
        run.outboxPending = true;
        runs.persist(run);
        String runId = run.id.toHexString();
        double updatesBefore = removalUpdates();
        double publishedBefore = published();

        relay.publish(run.id, List.of(started));
        // Deferred: the relay keeps it (the sweep leaves it alone) and sends nothing while the run has not ended.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> relay.relaying(run.id) && published() == publishedBefore);
        assertEquals(1, outbox.pending(run.id).size(), "still waiting in the run");

        PendingEvent completed = events.lifecycle(run, "run.completed", 1);
        runs.mongoCollection().updateOne(Filters.eq("_id", run.id), OutboxWrites.append(completed));
        relay.publish(run.id, List.of(completed));

        // Well within the hold: the run's end releases its run.started.
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.pending(run.id).isEmpty());
        assertNull(runs.findById(run.id).outboxPending, "drained: the run left the sweep's index");
        assertEquals(2.0, published() - publishedBefore, "both published, in the round of the run's end");
        assertEquals(1.0, removalUpdates() - updatesBefore, "both events removed by one update");
        assertEquals(java.util.Set.of(runId + ":run.started:1", runId + ":run.completed:1"),
                KafkaEvents.forRun(runId, 2).keySet());
    }

    @Test
    void anEventOtherThanRunStartedIsRemovedInTheRoundThatPublishedIt() {
        Run run = Fixtures.run("hold-started-test", RunStatus.QUEUED);
        PendingEvent requested = events.requested(run, 1);
        run.pendingEvents = new ArrayList<>(List.of(requested));
        run.outboxPending = true;
        runs.persist(run);

        relay.publish(run.id, List.of(requested));

        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.pending(run.id).isEmpty());
        assertNull(runs.findById(run.id).outboxPending);
    }

    private double published() {
        return metrics.counter("tollgate.outbox.published.events").count();
    }

    private double removalUpdates() {
        return metrics.counter("tollgate.outbox.removal.updates").count();
    }
}

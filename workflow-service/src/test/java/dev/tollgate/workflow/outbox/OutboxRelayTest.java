package dev.tollgate.workflow.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.runs.KafkaEvents;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunRepository;
import dev.tollgate.workflow.runs.RunStatus;
import dev.tollgate.workflow.support.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The relay publishes what it read and then removes exactly that: an event a worker appends while the relay is
 * publishing (a run finishing right after it started) stays for the next flush. The platform benchmark found runs
 * completed in the store whose {@code run.completed} never reached Kafka, so no callback was ever sent.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(OutboxRelayTest.NoSweep.class)
class OutboxRelayTest {

    /** Only this test's calls flush, so the interleaving below is the one tested. */
    public static class NoSweep implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.workflow.outbox.sweep-interval", "1h");
        }
    }

    @Inject
    OutboxRelay relay;

    @Inject
    RunRepository runs;

    @Inject
    RunEvents events;

    @Test
    void anEventAppendedWhileOthersArePublishedIsKeptForTheNextFlush() {
        Run run = runningRun();
        run.pendingEvents = new ArrayList<>(List.of(events.lifecycle(run, "run.started", 1)));
        run.outboxPending = true;
        runs.persist(run);
        String runId = run.id.toHexString();

        List<Document> read = relay.pending(run.id);
        runs.mongoCollection().updateOne(Filters.eq("_id", run.id),
                OutboxWrites.append(events.lifecycle(run, "run.completed", 1)));
        relay.removePublished(run.id, read);

        assertEquals(List.of(runId + ":run.completed:1"), ids(relay.pending(run.id)));
        assertEquals(Boolean.TRUE, runs.findById(run.id).outboxPending, "the sweep still finds the run");
        relay.flush(run.id);
        assertTrue(relay.pending(run.id).isEmpty());
        assertNull(runs.findById(run.id).outboxPending, "drained: the run left the sweep's index");
        assertTrue(KafkaEvents.forRun(runId, 1).containsKey(runId + ":run.completed:1"));
    }

    @Test
    void flushingPublishesEveryPendingEventOnceAndEmptiesTheList() {
        Run run = runningRun();
        run.pendingEvents = new ArrayList<>(List.of(events.lifecycle(run, "run.started", 1),
                events.lifecycle(run, "run.completed", 1)));
        run.outboxPending = true;
        runs.persist(run);
        String runId = run.id.toHexString();

        relay.flush(run.id);

        assertTrue(relay.pending(run.id).isEmpty());
        assertNull(runs.findById(run.id).outboxPending);
        var published = KafkaEvents.forRun(runId, 2);
        assertTrue(published.keySet().containsAll(List.of(runId + ":run.started:1", runId + ":run.completed:1")),
                published.keySet().toString());
    }

    @Test
    void aRunDrainedButStillFlaggedByARelayThatStoppedIsUnflaggedByTheNextFlush() {
        Run run = runningRun();
        run.outboxPending = true; // the events were removed, then the relay died before clearing the flag
        runs.persist(run);

        relay.flush(run.id);

        assertNull(runs.findById(run.id).outboxPending);
    }

    private static Run runningRun() {
        Run run = Fixtures.run("relay-test", RunStatus.RUNNING);
        run.startedAt = run.createdAt;
        run.attempts = 1;
        return run;
    }

    /** Event ids as stored (the codec writes {@code PendingEvent.id} as {@code _id}). */
    private static List<String> ids(List<Document> pending) {
        return pending.stream().map(d -> d.getString("_id")).toList();
    }
}

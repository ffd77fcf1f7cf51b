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
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The relay publishes what it read and then removes exactly that: an event a worker appends while the relay is
 * publishing (a run finishing right after it started) stays for the next flush. The platform benchmark found runs
 * completed in the store whose {@code run.completed} never reached Kafka, so no callback was ever sent. Removals of many
 * runs share one bulk write, and the sweep leaves a run alone until a second sweep finds the same event still waiting.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(OutboxRelayTest.NoSweep.class)
class OutboxRelayTest {

    /**
     * Only this test's calls flush, so the interleaving below is the one tested; published events wait 5 s for their
     * removal, long enough for every round of a test to fall within it on a slow machine.
     */
    public static class NoSweep implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.workflow.outbox.sweep-interval", "1h",
                    "tollgate.workflow.outbox.removal-delay", "PT5S");
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
    void anEventAppendedWhileOthersArePublishedIsKeptForTheNextFlush() {
        Run run = runningRun();
        run.pendingEvents = new ArrayList<>(List.of(events.lifecycle(run, "run.started", 1)));
        run.outboxPending = true;
        runs.persist(run);
        String runId = run.id.toHexString();

        List<Document> read = outbox.pending(run.id);
        runs.mongoCollection().updateOne(Filters.eq("_id", run.id),
                OutboxWrites.append(events.lifecycle(run, "run.completed", 1)));
        outbox.removePublished(run.id, read);

        assertEquals(List.of(runId + ":run.completed:1"), ids(outbox.pending(run.id)));
        assertEquals(Boolean.TRUE, runs.findById(run.id).outboxPending, "the sweep still finds the run");
        relay.flush(run.id);
        assertTrue(outbox.pending(run.id).isEmpty());
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

        assertTrue(outbox.pending(run.id).isEmpty());
        assertNull(runs.findById(run.id).outboxPending);
        var published = KafkaEvents.forRun(runId, 2);
        assertTrue(published.keySet().containsAll(List.of(runId + ":run.started:1", runId + ":run.completed:1")),
                published.keySet().toString());
    }

    @Test
    void theEventsAWriterHandsOverEqualTheStoredListSoOneConditionalUpdateEmptiesIt() {
        Run run = runningRun();
        run.pendingEvents = new ArrayList<>(List.of(events.lifecycle(run, "run.started", 1),
                events.lifecycle(run, "run.completed", 1)));
        run.outboxPending = true;
        runs.persist(run);

        int emptiedAtOnce = outbox.remove(Map.of(run.id, outbox.asStored(run.pendingEvents))).emptiedAtOnce();

        assertEquals(1, emptiedAtOnce, "the relay's encoding of the writer's events is the stored one");
        assertTrue(outbox.pending(run.id).isEmpty());
        assertNull(runs.findById(run.id).outboxPending);
    }

    @Test
    void aRoundRemovesWhatItPublishedFromEveryRunAndKeepsWhatWasAppendedMeanwhile() {
        Run quiet = runningRun();
        quiet.pendingEvents = new ArrayList<>(List.of(events.lifecycle(quiet, "run.started", 1)));
        quiet.outboxPending = true;
        runs.persist(quiet);
        Run busy = runningRun();
        busy.pendingEvents = new ArrayList<>(List.of(events.lifecycle(busy, "run.started", 1)));
        busy.outboxPending = true;
        runs.persist(busy);
        Map<ObjectId, List<BsonDocument>> round = Map.of(quiet.id, outbox.asStored(quiet.pendingEvents),
                busy.id, outbox.asStored(busy.pendingEvents));
        runs.mongoCollection().updateOne(Filters.eq("_id", busy.id),
                OutboxWrites.append(events.lifecycle(busy, "run.completed", 1)));

        int emptiedAtOnce = outbox.remove(round).emptiedAtOnce();

        assertEquals(1, emptiedAtOnce, "the quiet run by the first bulk write, the busy one by the second");
        assertTrue(outbox.pending(quiet.id).isEmpty());
        assertNull(runs.findById(quiet.id).outboxPending);
        assertEquals(List.of(busy.id.toHexString() + ":run.completed:1"), ids(outbox.pending(busy.id)));
        assertEquals(Boolean.TRUE, runs.findById(busy.id).outboxPending, "the sweep still finds the busy run");
    }

    @Test
    void aRunDrainedButStillFlaggedByARelayThatStoppedIsUnflaggedByTheNextFlush() {
        Run run = runningRun();
        run.outboxPending = true; // the events were removed, then the relay died before clearing the flag
        runs.persist(run);

        relay.flush(run.id);

        assertNull(runs.findById(run.id).outboxPending);
    }

    @Test
    void eventsPublishedInManyRoundsLeaveTheirRunsInOneBulkWrite() {
        List<Run> ended = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Run run = runningRun();
            run.pendingEvents = new ArrayList<>(List.of(events.lifecycle(run, "run.completed", 1)));
            run.outboxPending = true;
            runs.persist(run);
            ended.add(run);
        }
        double writesBefore = counter("tollgate.outbox.removal.writes");
        double updatesBefore = counter("tollgate.outbox.removal.updates");

        // As workers' ends arrive at a low rate: each published in a round of its own before the next is handed over.
        for (Run run : ended) {
            double published = counter("tollgate.outbox.published.events");
            relay.publish(run.id, run.pendingEvents);
            await().atMost(Duration.ofSeconds(20)).until(() -> counter("tollgate.outbox.published.events") > published);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> ended.stream().allMatch(r -> outbox.pending(r.id).isEmpty()));
        assertTrue(ended.stream().allMatch(r -> runs.findById(r.id).outboxPending == null), "every run unflagged");
        assertTrue(ended.stream().noneMatch(r -> relay.relaying(r.id)), "and out of the relay's hands");
        assertEquals(40.0, counter("tollgate.outbox.removal.updates") - updatesBefore, "one update per run");
        double writes = counter("tollgate.outbox.removal.writes") - writesBefore;
        assertTrue(writes <= 3, "40 rounds' removals, published within the removal delay, share bulk writes: " + writes);
        ended.forEach(r -> assertTrue(KafkaEvents.forRun(r.id.toHexString(), 1)
                .containsKey(r.id.toHexString() + ":run.completed:1")));
        String first = ended.getFirst().id.toHexString();
        assertEquals(List.of(new KafkaEvents.Copy(first + ":run.completed:1", false)),
                KafkaEvents.lifecycleCopies(first, 1), "a writer's hand-over is published unmarked");
    }

    @Test
    void theSweepRelaysARunOnlyWhenTheSweepBeforeFoundTheSameEventWaiting() {
        Run run = runningRun();
        run.pendingEvents = new ArrayList<>(List.of(events.lifecycle(run, "run.completed", 1)));
        run.outboxPending = true; // as a process that died before relaying (or another one, about to remove it) left it
        runs.persist(run);
        String runId = run.id.toHexString();

        relay.sweep();
        assertEquals(List.of(runId + ":run.completed:1"), ids(outbox.pending(run.id)),
                "first seen: it may be another process's, published and about to be removed, so left for now");

        relay.sweep();
        assertTrue(outbox.pending(run.id).isEmpty(), "still there an interval later: relayed and removed");
        assertNull(runs.findById(run.id).outboxPending);
        assertEquals(List.of(new KafkaEvents.Copy(runId + ":run.completed:1", true)),
                KafkaEvents.lifecycleCopies(runId, 1),
                "what a sweep publishes again is marked, so callback-service checks it for a delivery made already");
    }

    @Test
    void aRunsLeftOverEventsAreSweptByOneProcessAtATime() {
        Run run = runningRun();
        run.pendingEvents = new ArrayList<>(List.of(events.lifecycle(run, "run.completed", 1)));
        run.outboxPending = true;
        runs.persist(run);

        // Every process with a relay sweeps (api replicas and workers): the first to claim the run publishes its
        // left-over events, another sweeping at the same moment (here, the same claim again) leaves them alone.
        assertEquals(List.of(run.id), outbox.claimForSweep(List.of(run.id)));
        assertEquals(List.of(), outbox.claimForSweep(List.of(run.id)), "claimed by the first sweeper for 30 s");
    }

    private double counter(String name) {
        return metrics.counter(name).count();
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

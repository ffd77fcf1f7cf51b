package dev.tollgate.workflow.worker;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tollgate.workflow.outbox.OutboxRelay;
import dev.tollgate.workflow.outbox.OutboxWrites;
import dev.tollgate.workflow.outbox.PendingEvent;
import dev.tollgate.workflow.outbox.RunTopics;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunEvents;
import dev.tollgate.workflow.runs.RunRepository;
import dev.tollgate.workflow.runs.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * The conditional updates a worker's life is made of: claim a queued run (exactly one worker wins), renew its lease,
 * and write how it ended (or, for a run executed before any claim, its start and end at once). Each writes the
 * lifecycle event with the state, in the same update, and hands the events it wrote to the relay once the write
 * succeeded (the relay never reads them back).
 */
@ApplicationScoped
public class RunClaims {

    private final RunRepository runs;
    private final RunEvents events;
    private final OutboxRelay relay;
    private final Clock clock;

    public RunClaims(RunRepository runs, RunEvents events, OutboxRelay relay, Clock clock) {
        this.runs = runs;
        this.events = events;
        this.relay = relay;
        this.clock = clock;
    }

    /** {@link #claim(ObjectId, String, Instant, Run)} of a run whose request carried no copy of it. */
    public Run claim(ObjectId runId, String worker, Instant leaseUntil) {
        return claim(runId, worker, leaseUntil, null);
    }

    /**
     * The run, now RUNNING under this worker's lease, or null if someone else has it or it is no longer queued. The
     * returned run is the document as written, so the execution needs no read before its first step.
     * {@code asRequested} is the run as its request carried it (a new run's first request does): then the claim is
     * one write, conditional on the run being unchanged since ({@code updatedAt}). Otherwise, or if it changed, the
     * run is read first: {@code run.started} carries the whole run and must be in the claiming write itself.
     */
    public Run claim(ObjectId runId, String worker, Instant leaseUntil, Run asRequested) {
        if (asRequested != null && runId.equals(asRequested.id) && asRequested.status == RunStatus.QUEUED
                && asRequested.updatedAt != null) {
            Run claimed = claimAsSeen(asRequested, worker, leaseUntil, true);
            if (claimed != null) {
                return claimed;
            }
        }
        Run run = runs.findById(runId);
        if (run == null || run.status != RunStatus.QUEUED) {
            return null;
        }
        return claimAsSeen(run, worker, leaseUntil, false);
    }

    private Run claimAsSeen(Run run, String worker, Instant leaseUntil, boolean unchangedSinceSeen) {
        int seenAttempts = run.attempts;
        Instant seenUpdatedAt = run.updatedAt;
        Instant now = Instant.now(clock);
        run.status = RunStatus.RUNNING;
        run.attempts = seenAttempts + 1;
        run.leaseOwner = worker;
        run.leaseUntil = leaseUntil;
        run.startedAt = run.startedAt == null ? now : run.startedAt;
        run.updatedAt = now;
        PendingEvent started = events.lifecycle(run, "run.started", run.attempts);
        Bson filter = Filters.and(Filters.eq("_id", run.id), Filters.eq("status", RunStatus.QUEUED),
                Filters.eq("attempts", seenAttempts));
        if (unchangedSinceSeen) {
            filter = Filters.and(filter, Filters.eq("updatedAt", seenUpdatedAt));
        }
        // The request being answered (and any other waiting) leaves with the claim: the api's relay left it in the
        // run for this. A run seen with lifecycle events waiting (a lost attempt's) keeps them: append instead.
        Bson outbox;
        if (OutboxWrites.onlyRequests(run.pendingEvents)) {
            filter = Filters.and(filter, OutboxWrites.onlyRequestsWaiting());
            outbox = OutboxWrites.replaceRequests(List.of(started));
        } else {
            outbox = OutboxWrites.append(started);
        }
        boolean won = runs.collection().updateOne(filter,
                Updates.combine(Updates.set("status", RunStatus.RUNNING), Updates.set("attempts", run.attempts),
                        Updates.set("leaseOwner", worker), Updates.set("leaseUntil", leaseUntil),
                        Updates.set("startedAt", run.startedAt), Updates.set("updatedAt", now), outbox))
                .getModifiedCount() == 1;
        if (!won) {
            return null;
        }
        relay.publish(run.id, List.of(started));
        return run;
    }

    /**
     * Extends the leases of the runs this worker is executing right now ({@code runIds}), not of every run that names
     * it as owner: a run whose execution died here keeps that name, and renewing by owner would keep it running
     * forever. Found by {@code _id} (the {@code $in} is served by the {@code _id} index); owner and status are tested
     * on those runs only, so a run that ended or was taken over meanwhile is left alone.
     */
    public void renew(String worker, Collection<ObjectId> runIds, Instant leaseUntil) {
        if (runIds.isEmpty()) {
            return;
        }
        runs.collection().updateMany(Filters.and(Filters.in("_id", runIds), Filters.eq("leaseOwner", worker),
                Filters.eq("status", RunStatus.RUNNING)), Updates.set("leaseUntil", leaseUntil));
    }

    /** The run as stored now (cancellation requests arrive this way). */
    public Run reload(ObjectId runId) {
        return runs.findById(runId);
    }

    /**
     * Writes the end of a run this worker still holds, if the run is still as this worker last read it
     * ({@code seenUpdatedAt}: a cancellation request changes it): {@code run} carries the final fields, and the
     * lifecycle event shows the run as written. Conditional on status, lease owner, attempt ({@code run.attempts}: the
     * claim, so that an attempt whose lease ran out never writes over the next one, even in the same process) and
     * {@code updatedAt} together, so no read is needed before it; only when it does not apply does the caller read to
     * find out why.
     */
    public boolean finish(Run run, String worker, String eventType, Instant seenUpdatedAt) {
        List<Bson> sets = new ArrayList<>(endFields(run));
        sets.add(Updates.unset("leaseOwner"));
        sets.add(Updates.unset("leaseUntil"));
        PendingEvent ended = events.lifecycle(run, eventType, run.attempts);
        sets.add(OutboxWrites.append(ended));
        boolean written = runs.collection().updateOne(Filters.and(Filters.eq("_id", run.id),
                Filters.eq("status", RunStatus.RUNNING), Filters.eq("leaseOwner", worker),
                Filters.eq("attempts", run.attempts), Filters.eq("updatedAt", seenUpdatedAt)), Updates.combine(sets))
                .getModifiedCount() == 1;
        if (written) {
            relay.publish(run.id, List.of(ended));
        }
        return written;
    }

    /** The {@code run.started} event of {@code run} as it is now (its attempt: {@code run.attempts}). */
    public PendingEvent startedEvent(Run run) {
        return events.lifecycle(run, "run.started", run.attempts);
    }

    /**
     * Writes the start and the end of a run executed before any claim (its steps have no side effects) in one update,
     * from queued straight to its end: {@code run} carries the final fields, {@code started} is its
     * {@code run.started} as it started, and both events replace the request waiting in the run. Conditional on the
     * run being exactly as its request carried it (queued, {@code seenAttempts}, {@code seenUpdatedAt}, only requests
     * waiting), so it does not apply once a cancellation or another worker's claim changed the run; whether it did.
     */
    public boolean finishUnclaimed(Run run, int seenAttempts, Instant seenUpdatedAt, PendingEvent started,
            String eventType) {
        PendingEvent ended = events.lifecycle(run, eventType, run.attempts);
        List<PendingEvent> written = List.of(started, ended);
        boolean applied = runs.collection().updateOne(Filters.and(Filters.eq("_id", run.id),
                Filters.eq("status", RunStatus.QUEUED), Filters.eq("attempts", seenAttempts),
                Filters.eq("updatedAt", seenUpdatedAt), OutboxWrites.onlyRequestsWaiting()),
                Updates.combine(Updates.combine(endFields(run)), Updates.set("attempts", run.attempts),
                        Updates.set("startedAt", run.startedAt), OutboxWrites.replaceRequests(written)))
                .getModifiedCount() == 1;
        if (applied) {
            relay.publish(run.id, written);
        }
        return applied;
    }

    /** The fields a run's end sets, as {@code run} carries them: the same for a claimed and an unclaimed run. */
    private static List<Bson> endFields(Run run) {
        return List.of(Updates.set("status", run.status), Updates.set("responseText", run.responseText),
                Updates.set("model", run.model), Updates.set("errorCode", run.errorCode),
                Updates.set("errorMessage", run.errorMessage), Updates.set("runMetadata", run.runMetadata),
                Updates.set("completedAt", run.completedAt), Updates.set("updatedAt", run.updatedAt));
    }

    /**
     * Queued runs whose request must have been lost: untouched since {@code before}, with at most a request waiting
     * in the outbox (a new run's first request stays there, published, until its claim; a request left unpublished
     * by a relay that died and never came back looks the same). The index {@code status, updatedAt} yields the queued
     * runs untouched since then, and only those are tested for their outbox (no index serves that test).
     */
    public List<Run> stuckQueued(Instant before) {
        return runs.find(new Document("status", RunStatus.QUEUED.name())
                .append("updatedAt", new Document("$lt", Date.from(before)))
                .append(OutboxWrites.EVENTS + ".1", new Document("$exists", false))
                .append(OutboxWrites.EVENTS + ".topic", new Document("$ne", RunTopics.LIFECYCLE)))
                .page(0, 200).list();
    }

    /**
     * Publishes a new request for a stuck queued run (once: conditional on it being untouched since it was read). The
     * new request replaces the one waiting, so the relay removes it with one update once it is published.
     */
    public boolean requeue(Run run) {
        Instant now = Instant.now(clock);
        Instant seen = run.updatedAt;
        run.updatedAt = now;
        PendingEvent request = events.requested(run, run.attempts + 1, ":requeued:" + now.toEpochMilli());
        boolean written = runs.collection().updateOne(Filters.and(Filters.eq("_id", run.id),
                Filters.eq("status", RunStatus.QUEUED), Filters.eq("updatedAt", seen),
                OutboxWrites.onlyRequestsWaiting()),
                Updates.combine(Updates.set("updatedAt", now), OutboxWrites.replaceRequests(List.of(request))))
                .getModifiedCount() == 1;
        if (written) {
            relay.publish(run.id, List.of(request));
        }
        return written;
    }

    /** Runs whose worker stopped renewing its lease (index {@code status, leaseUntil}). */
    public List<Run> withExpiredLeases(Instant now) {
        return runs.find(new Document("status", RunStatus.RUNNING.name())
                .append("leaseUntil", new Document("$lt", Date.from(now)))).page(0, 200).list();
    }

    /**
     * Puts a lost run back in the queue (another attempt), or fails it when attempts are used up: the attempt
     * {@code run} was read in (owner and attempt), only if it still holds the run.
     */
    public boolean recover(Run run, int maxAttempts) {
        Instant now = Instant.now(clock);
        String lostOwner = run.leaseOwner;
        List<Bson> sets = new ArrayList<>();
        PendingEvent event;
        if (run.attempts >= maxAttempts) {
            run.status = RunStatus.FAILED;
            run.errorCode = "worker_lost";
            run.errorMessage = "The run's worker stopped " + run.attempts + " times; giving up";
            run.completedAt = now;
            sets.add(Updates.set("errorCode", run.errorCode));
            sets.add(Updates.set("errorMessage", run.errorMessage));
            sets.add(Updates.set("completedAt", now));
            event = null;
        } else {
            run.status = RunStatus.QUEUED;
            event = events.requested(run, run.attempts + 1);
        }
        run.updatedAt = now;
        run.leaseOwner = null;
        run.leaseUntil = null;
        sets.add(Updates.set("status", run.status));
        sets.add(Updates.set("updatedAt", now));
        sets.add(Updates.unset("leaseOwner"));
        sets.add(Updates.unset("leaseUntil"));
        List<PendingEvent> announced = List.of(event == null ? events.lifecycle(run, "run.failed", run.attempts) : event);
        sets.add(OutboxWrites.append(announced));
        boolean written = runs.collection().updateOne(Filters.and(Filters.eq("_id", run.id),
                Filters.eq("status", RunStatus.RUNNING), Filters.eq("leaseOwner", lostOwner),
                Filters.eq("attempts", run.attempts)), Updates.combine(sets)).getModifiedCount() == 1;
        if (written) {
            relay.publish(run.id, announced);
        }
        return written;
    }
}

package dev.tollgate.workflow.runs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tollgate.workflow.outbox.PendingEvent;
import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;

/** One execution of a workflow, from trigger to a final status, plus the bookkeeping of its callback. */
@MongoEntity(collection = "runs")
public class Run {
    @BsonId
    public ObjectId id;
    public String workflowId;
    public String ownerUserId;
    public String budgetId;
    public RunStatus status;
    public String prompt;
    public String requestId;
    /**
     * With a {@code request_id}: the first 12 bytes of SHA-256(owner, workflow, request id), under a unique sparse
     * index, so a repeated or racing trigger finds the first run (RunService). Null, so not stored, without one.
     */
    public ObjectId requestKey;
    public String responseText;
    public String sessionId;
    public String model;
    public String errorCode;
    public String errorMessage;
    public String callbackUrl;
    public String callbackStatus;
    public Integer callbackLastStatus;
    public String callbackLastError;
    public Instant callbackAttemptedAt;
    public Instant callbackDeliveredAt;
    public Map<String, Object> requestMetadata;
    public Map<String, Object> runMetadata;
    public Instant createdAt;
    public Instant updatedAt;
    public Instant startedAt;
    public Instant completedAt;
    public Instant cancelRequestedAt;
    public String cancelRequestedByUserId;
    public String cancelRequestId;
    public String cancelReason;
    /** Runs of this workflow that a worker has claimed so far (1 on the first try). */
    public int attempts;
    /** The worker holding the run, and until when its lease lasts. */
    public String leaseOwner;
    public Instant leaseUntil;
    /**
     * The W3C {@code traceparent} of the trigger request: the trace the run's worker, its events and its callback join
     * (null for runs triggered outside any trace, and for runs from before tracing).
     */
    public String traceParent;
    /** The budget's limit on runs at once per worker when the run was triggered (0: none; null: from before limits). */
    public Integer maxConcurrentRuns;
    /** Events announcing the state above, written with it, waiting for the relay (transactional outbox). */
    public List<PendingEvent> pendingEvents = new ArrayList<>();
    /** True while {@link #pendingEvents} may hold events (see {@code OutboxWrites}); null, so not stored, otherwise. */
    public Boolean outboxPending;
}

package dev.tollgate.workflow.admission;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether a new trigger is taken, from the last measurement of the run queue. Past the bound a trigger is
 * refused before it leaves anything behind: taking it would only lengthen a queue whose runs already wait, and the
 * CPU its acknowledgement costs is taken from the runs that wait (on a shared machine the intake can outpace the
 * runs several times over). A measurement too old to trust (Kafka unreachable, no trigger for a while) admits: the
 * outbox keeps what is accepted whether or not Kafka takes it, so failing open loses nothing.
 *
 * @param maxWaitingRequests run requests waiting for a worker beyond which triggers are refused; 0 never refuses
 * @param staleAfter a measurement older than this is not used
 * @param retryAfter what a refusal tells the caller to wait
 */
public record TriggerAdmission(long maxWaitingRequests, Duration staleAfter, Duration retryAfter) {

    /** The queue as last measured: {@code waitingRequests} published and not yet taken by a worker. */
    public record Measurement(long waitingRequests, Instant measuredAt) {
    }

    /** The answer for one trigger: taken, or refused with the seconds to put in {@code Retry-After}. */
    public record Decision(boolean admitted, long retryAfterSeconds) {
        static final Decision ADMIT = new Decision(true, 0);
    }

    public Decision decide(Measurement last, Instant now) {
        if (maxWaitingRequests <= 0 || last == null || last.measuredAt().plus(staleAfter).isBefore(now)) {
            return Decision.ADMIT;
        }
        if (last.waitingRequests() < maxWaitingRequests) {
            return Decision.ADMIT;
        }
        return new Decision(false, Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }
}

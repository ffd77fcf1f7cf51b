package dev.tollgate.callback.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.tollgate.callback.signing.SigningSecrets;
import dev.tollgate.callback.signing.WebhookSigner;
import dev.tollgate.platform.tracing.TraceParents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.jboss.logging.Logger;

/**
 * Makes one attempt of one delivery: claim it (unless this process already holds the claim), sign it, POST it,
 * record what happened with its outcome event, and announce it ({@link OutcomeRecorded}) for the relay. A delivery another replica is
 * attempting, or that is not due, is left alone. A new delivery's first attempt posts before the delivery is stored
 * ({@link #attemptFirst}), and the intake stores it with what the POST came to.
 */
@ApplicationScoped
public class DeliveryAttempts {

    private static final Logger LOG = Logger.getLogger(DeliveryAttempts.class);

    private final DeliveryRepository deliveries;
    private final SigningSecrets secrets;
    private final CallbackPoster poster;
    private final DeliveryTiming timing;
    private final OutcomeEvents outcomes;
    private final Event<OutcomeRecorded> recorded;
    private final Tracer tracer;
    private final Map<DeliveryStatus, Counter> attemptsByResult = new EnumMap<>(DeliveryStatus.class);
    private final Timer triggerToDelivered;

    public DeliveryAttempts(DeliveryRepository deliveries, SigningSecrets secrets, CallbackPoster poster,
            DeliveryTiming timing, OutcomeEvents outcomes, Event<OutcomeRecorded> recorded, Tracer tracer, MeterRegistry metrics) {
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.poster = poster;
        this.timing = timing;
        this.outcomes = outcomes;
        this.recorded = recorded;
        this.tracer = tracer;
        for (DeliveryStatus status : DeliveryStatus.values()) {
            attemptsByResult.put(status, Counter.builder("tollgate.callbacks.attempts")
                    .description("Callback POSTs, by the delivery's status after them (pending: will be retried)")
                    .tag("result", status.wire()).register(metrics));
        }
        this.triggerToDelivered = Timer.builder("tollgate.callbacks.trigger.to.delivered")
                .description("From a run's trigger (created_at) to its callback answered 2xx")
                .publishPercentileHistogram().register(metrics);
    }

    /**
     * Claims the delivery and attempts it. The next attempt's time if the delivery is still pending after this one
     * (empty otherwise, or if it could not be claimed: another replica is attempting it, or it is not due).
     */
    public Optional<Instant> attempt(String runId) {
        String token = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Delivery delivery = deliveries.claim(runId, token, now, now.plus(timing.lease()));
        return delivery == null ? Optional.empty() : attemptClaimed(delivery);
    }

    /**
     * Attempts a delivery this process already holds the claim on (created claimed, or claimed by the due poll), as
     * it was when claimed: no read, no claim. A claim with less left than a whole attempt needs (it waited in its
     * lane) is renewed first, and if it was lost meanwhile the delivery is left to whoever took it.
     */
    public Optional<Instant> attempt(Delivery claimed) {
        Instant now = Instant.now();
        if (claimed.leaseUntil != null && Duration.between(now, claimed.leaseUntil).compareTo(timing.postBy()) >= 0) {
            return attemptClaimed(claimed);
        }
        Delivery renewed = deliveries.claim(claimed.runId, claimed.leaseToken, now, now.plus(timing.lease()));
        return renewed == null ? Optional.empty() : attemptClaimed(renewed);
    }

    /**
     * Makes a new delivery's first attempt before the delivery is stored ({@link FirstPost}). If the intake stopped
     * waiting for it meanwhile, the delivery is stored claimed for this attempt, which then records itself; the next
     * attempt's time is answered only then (otherwise the intake stores it and times the retry).
     */
    public Optional<Instant> attemptFirst(FirstPost first) {
        Delivery delivery = first.delivery();
        FirstPost.Attempted attempted;
        try {
            attempted = post(delivery);
        } catch (RuntimeException e) {
            first.notMade();
            throw e;
        }
        if (first.posted(attempted) || !first.awaitStored()) {
            return Optional.empty();
        }
        return record(delivery, attempted);
    }

    private Optional<Instant> attemptClaimed(Delivery delivery) {
        return record(delivery, post(delivery));
    }

    /**
     * Signs and POSTs the delivery's body, and says what that came to: the attempt and its outcome event. Each attempt
     * is a span {@code callback.attempt} in the run's trace (the lifecycle event's {@code traceparent}, kept with the
     * delivery for the retries), and the POST carries that span as its {@code traceparent}, so a receiver can join it.
     */
    private FirstPost.Attempted post(Delivery delivery) {
        Instant attemptedAt = Instant.now();
        Span span = TraceParents.start(tracer, "callback.attempt", SpanKind.CLIENT, delivery.traceparent);
        span.setAttribute("tollgate.run_id", delivery.runId);
        span.setAttribute("tollgate.attempt", delivery.attemptsMade + 1);
        PostResult result;
        try {
            Map<String, String> headers = headers(delivery, attemptedAt);
            TraceParents.of(span.getSpanContext()).ifPresent(value -> headers.put(TraceParents.HEADER, value));
            result = poster.post(delivery.url, headers, delivery.body);
            if (result.httpStatus() != null) {
                span.setAttribute("http.response.status_code", result.httpStatus());
            }
            if (result.error() != null) {
                span.setStatus(StatusCode.ERROR, result.error());
            }
        } finally {
            span.end();
        }
        RetrySchedule.Decision decision = timing.schedule().after(delivery.roundAttempts + 1, result, Instant.now());

        AttemptRecord attempt = new AttemptRecord();
        attempt.number = delivery.attemptsMade + 1;
        attempt.attemptedAt = attemptedAt;
        attempt.durationMs = result.durationMs();
        attempt.httpStatus = result.httpStatus();
        attempt.error = result.error();
        attempt.result = decision.status();
        attemptsByResult.get(decision.status()).increment();
        if (decision.status() == DeliveryStatus.DELIVERED && delivery.runCreatedAt != null) {
            triggerToDelivered.record(Duration.between(delivery.runCreatedAt, Instant.now()));
        }
        attempt.nextAttemptAt = decision.nextAttemptAt();
        if (result.error() != null && LOG.isDebugEnabled()) {
            LOG.debugf("callback %s attempt %d: %s (%s)", delivery.webhookId, attempt.number, result.error(),
                    decision.status().wire());
        }
        return new FirstPost.Attempted(attempt, outcomes.attempted(delivery, attempt));
    }

    /** Records an attempt made under the delivery's claim, and announces its outcome for the relay. */
    private Optional<Instant> record(Delivery delivery, FirstPost.Attempted attempted) {
        AttemptRecord attempt = attempted.attempt();
        if (!deliveries.record(delivery.runId, delivery.leaseToken, attempt, delivery.roundAttempts + 1,
                attempted.outcome())) {
            LOG.warnf("the claim on delivery %s expired during attempt %d; another replica's record stands",
                    delivery.webhookId, attempt.number);
            return Optional.empty();
        }
        recorded.fire(new OutcomeRecorded(delivery.runId, attempted.outcome()));
        return Optional.ofNullable(attempt.nextAttemptAt);
    }

    private Map<String, String> headers(Delivery delivery, Instant attemptedAt) {
        long timestamp = attemptedAt.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "Tollgate-Webhooks/1.0");
        headers.put("webhook-id", delivery.webhookId);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSigner.signature(
                secrets.forSigning(delivery.userId).signingSecrets(attemptedAt), delivery.webhookId, timestamp,
                delivery.body));
        return headers;
    }
}

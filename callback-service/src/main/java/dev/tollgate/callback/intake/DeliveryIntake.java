package dev.tollgate.callback.intake;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.callback.delivery.DeliveryScheduler;
import dev.tollgate.callback.delivery.DeliveryStatus;
import dev.tollgate.callback.delivery.DeliveryTiming;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Turns terminal runs into their deliveries, and has them attempted at once. A Kafka batch's deliveries are stored
 * in one insert, each already claimed by this process when its first attempt is due now, so that attempt posts
 * straight away without claiming (and reading) it again.
 */
@ApplicationScoped
public class DeliveryIntake {

    @Inject
    DeliveryRepository deliveries;

    @Inject
    DeliveryTiming timing;

    @Inject
    DeliveryScheduler scheduler;

    /** False if the run already had its delivery (a replayed event): nothing changes then. */
    public boolean open(TerminalRun run) {
        return store(prepare(List.of(run)), false) == 1;
    }

    /**
     * The runs' deliveries, one per run (a run listed twice keeps its first event). When the first attempt is due
     * at once, each comes claimed by this process (one token for the batch: a claim is always checked together
     * with its delivery's id).
     */
    public List<Delivery> prepare(List<TerminalRun> runs) {
        Instant now = Instant.now();
        Instant firstAttemptAt = timing.schedule().firstAttemptAt(now);
        boolean dueNow = !firstAttemptAt.isAfter(now);
        String token = dueNow ? "intake-" + UUID.randomUUID() : null;
        Map<String, Delivery> batch = new LinkedHashMap<>();
        for (TerminalRun run : runs) {
            if (batch.containsKey(run.runId())) {
                continue;
            }
            Delivery delivery = new Delivery();
            delivery.runId = run.runId();
            delivery.webhookId = Delivery.webhookIdOf(run.runId());
            delivery.userId = run.userId();
            delivery.url = run.callbackUrl();
            delivery.lane = laneOf(run.callbackUrl());
            delivery.body = run.body();
            delivery.eventType = run.eventType();
            delivery.status = DeliveryStatus.PENDING;
            delivery.createdAt = now;
            delivery.nextAttemptAt = firstAttemptAt;
            if (dueNow) {
                delivery.leaseToken = token;
                delivery.leaseUntil = now.plus(timing.lease());
            }
            batch.put(run.runId(), delivery);
        }
        return new ArrayList<>(batch.values());
    }

    /**
     * Stores prepared deliveries in one insert (a run that already has its delivery keeps it) and queues the claimed
     * ones this call created for their first attempt. {@code retried}: the same deliveries failed to store before,
     * so some may be stored already (recognised by their claim). Returns how many this call created.
     */
    public int store(List<Delivery> prepared, boolean retried) {
        List<Delivery> created = deliveries.createAll(prepared, retried);
        scheduler.submitClaimed(created.stream().filter(d -> d.leaseToken != null).toList());
        return created.size();
    }

    /** {@code scheme://host:port}, lower case: the receiver whose concurrency limit this delivery shares. */
    static String laneOf(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
            return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
        } catch (IllegalArgumentException e) {
            return "invalid";
        }
    }
}

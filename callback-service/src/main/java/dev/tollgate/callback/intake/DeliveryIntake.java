package dev.tollgate.callback.intake;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;

import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.callback.delivery.DeliveryScheduler;
import dev.tollgate.callback.delivery.DeliveryStatus;
import dev.tollgate.callback.delivery.DeliveryTiming;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Turns a terminal run into its one delivery, and has it attempted at once. */
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
        Instant now = Instant.now();
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
        delivery.nextAttemptAt = timing.schedule().firstAttemptAt(now);
        if (!deliveries.createIfAbsent(delivery)) {
            return false;
        }
        if (!delivery.nextAttemptAt.isAfter(now)) {
            scheduler.submit(delivery.runId, delivery.lane);
        }
        return true;
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

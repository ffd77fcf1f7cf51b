package dev.tollgate.callback.intake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.callback.delivery.Delivery;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code workflow.run.lifecycle} (consumer group {@code callback-deliveries}) in batches (whatever one poll
 * returned, {@code batch=true} on the channel) and stores a delivery for each terminal run with a callback URL, the
 * whole batch in one insert. Only the store write happens here, never the POST, so a slow receiver cannot hold up
 * the partition; the batch is acknowledged (its offsets committed) after the write, so no event is lost.
 */
@ApplicationScoped
public class LifecycleListener {

    private static final Logger LOG = Logger.getLogger(LifecycleListener.class);

    @Inject
    ObjectMapper json;

    @Inject
    DeliveryIntake intake;

    @Incoming("run-lifecycle")
    @Blocking
    public void onEvents(List<String> payloads) throws InterruptedException {
        List<TerminalRun> runs = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            try {
                if (!TerminalRun.TERMINAL_TYPES.contains(TerminalRun.typeOf(payload, json))) {
                    continue; // run.started and the like: no callback, so not worth parsing
                }
                TerminalRun.from(json.readTree(payload), json).ifPresent(runs::add);
            } catch (Exception e) {
                LOG.warnf("ignoring an unreadable lifecycle event: %s", e.getMessage());
            }
        }
        if (runs.isEmpty()) {
            return;
        }
        List<Delivery> prepared = intake.prepare(runs);
        // Without the store nothing can be delivered anyway: hold the partitions and retry rather than skip.
        Duration backoff = Duration.ofMillis(200);
        boolean retried = false;
        while (true) {
            try {
                intake.store(prepared, retried);
                return;
            } catch (RuntimeException e) {
                LOG.warnf("storing the deliveries of %d runs failed, retrying in %d ms: %s", prepared.size(),
                        backoff.toMillis(), e.toString());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                        : backoff.multipliedBy(2);
                retried = true;
            }
        }
    }
}

package dev.tollgate.callback.intake;

import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code workflow.run.lifecycle} (consumer group {@code callback-deliveries}) and stores a delivery for
 * each terminal run with a callback URL. Only the store write happens here, never the POST, so a slow receiver
 * cannot hold up the partition; the offset is committed after the write, so no event is lost.
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
    public void onEvent(String payload) throws InterruptedException {
        Optional<TerminalRun> run;
        try {
            run = TerminalRun.from(json.readTree(payload), json);
        } catch (Exception e) {
            LOG.warnf("ignoring an unreadable lifecycle event: %s", e.getMessage());
            return;
        }
        if (run.isEmpty()) {
            return;
        }
        // Without the store nothing can be delivered anyway: hold the partition and retry rather than skip.
        Duration backoff = Duration.ofMillis(200);
        while (true) {
            try {
                intake.open(run.get());
                return;
            } catch (RuntimeException e) {
                LOG.warnf("storing the delivery of run %s failed, retrying in %d ms: %s", run.get().runId(),
                        backoff.toMillis(), e.toString());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                        : backoff.multipliedBy(2);
            }
        }
    }
}

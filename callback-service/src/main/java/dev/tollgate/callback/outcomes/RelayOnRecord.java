package dev.tollgate.callback.outcomes;

import dev.tollgate.callback.delivery.OutcomeRecorded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Hands each recorded attempt's outcome to the relay as it is recorded (the sweep is only for what a crash left). */
@ApplicationScoped
public class RelayOnRecord {

    private final OutcomeRelay relay;

    public RelayOnRecord(OutcomeRelay relay) {
        this.relay = relay;
    }

    void onRecord(@Observes OutcomeRecorded recorded) {
        relay.relay(recorded.runId(), recorded.outcome());
    }
}

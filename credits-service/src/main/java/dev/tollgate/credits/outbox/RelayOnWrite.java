package dev.tollgate.credits.outbox;

import dev.tollgate.credits.ledger.FactsWritten;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Starts the relay on an account as soon as a change left facts in it (the sweep is only for what a crash left). */
@ApplicationScoped
public class RelayOnWrite {

    private final OutboxRelay relay;

    public RelayOnWrite(OutboxRelay relay) {
        this.relay = relay;
    }

    void onWrite(@Observes FactsWritten written) {
        relay.schedule(written.userId());
    }
}

package dev.tollgate.callback.support;

import java.util.List;

import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.callback.delivery.DeliveryStatus;
import dev.tollgate.callback.intake.DeliveryIntake;
import dev.tollgate.callback.intake.TerminalRun;

/**
 * What another callback-service replica leaves in the shared store: a run's delivery, delivered, that this process
 * never handled (so it is in none of its in-memory sets, and only a read of the store finds it).
 */
public final class OtherReplica {

    private OtherReplica() {
    }

    /** Stores the run's delivery as delivered, as the intake would prepare it, unclaimed and with nothing due. */
    public static void delivered(DeliveryIntake intake, DeliveryRepository deliveries, TerminalRun run) {
        Delivery theirs = intake.prepare(List.of(run)).getFirst();
        theirs.leaseToken = null;
        theirs.leaseUntil = null;
        theirs.status = DeliveryStatus.DELIVERED;
        theirs.nextAttemptAt = null;
        if (deliveries.createAll(List.of(theirs), false).size() != 1) {
            throw new IllegalStateException("the run " + run.runId() + " had a delivery already");
        }
    }
}

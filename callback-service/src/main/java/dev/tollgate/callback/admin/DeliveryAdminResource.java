package dev.tollgate.callback.admin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.callback.delivery.DeliveryScheduler;
import dev.tollgate.callback.delivery.DeliveryStatus;
import dev.tollgate.callback.delivery.DeliveryTiming;
import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.Envelope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Operators' view of deliveries: a run's attempts, recent deliveries by status, and redelivery on demand. */
@Path("/admin/callbacks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class DeliveryAdminResource {

    private static final String RUN_ID = "[A-Za-z0-9_-]{1,64}";

    /** The list's {@code data}. */
    public record Deliveries(List<DeliveryView> deliveries) {
    }

    /** One delivery's {@code data}. */
    public record OneDelivery(DeliveryView delivery) {
    }

    private final DeliveryRepository deliveries;
    private final DeliveryTiming timing;
    private final DeliveryScheduler scheduler;

    public DeliveryAdminResource(DeliveryRepository deliveries, DeliveryTiming timing, DeliveryScheduler scheduler) {
        this.deliveries = deliveries;
        this.timing = timing;
        this.scheduler = scheduler;
    }

    /** {@code status}: pending, delivered or failed (all when absent); {@code limit}: 1-200, default 50. */
    @GET
    public Envelope<Deliveries> list(@QueryParam("status") String status, @QueryParam("limit") String limit) {
        DeliveryStatus wanted = null;
        if (status != null) {
            try {
                wanted = DeliveryStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CodedError(400, "invalid_status", "status must be pending, delivered or failed");
            }
        }
        int n = 50;
        if (limit != null) {
            // Digits only (Integer.parseInt alone takes "+1"), and few enough of them to be an int.
            n = limit.matches("[0-9]{1,9}") ? Integer.parseInt(limit) : -1;
            if (n < 1 || n > 200) {
                throw new CodedError(400, "invalid_limit", "limit must be a whole number from 1 to 200");
            }
        }
        return Envelope.of(new Deliveries(deliveries.list(wanted, n).stream().map(d -> DeliveryView.of(d, false))
                .toList()));
    }

    /** The run's delivery with every attempt (time, status code, error, duration). */
    @GET
    @Path("/{runId}")
    public Envelope<OneDelivery> get(@PathParam("runId") String runId) {
        return Envelope.of(new OneDelivery(DeliveryView.of(find(runId), true)));
    }

    /**
     * Sends the delivery again now, under the same {@code webhook-id} and body (so a receiver that already has it can
     * tell): an ended one with a fresh retry schedule, a pending one by bringing its next attempt forward (after a
     * receiver outage its next retry may be hours away). 409 only while an attempt is in flight: it is being tried.
     */
    @POST
    @Path("/{runId}/redeliver")
    public Response redeliver(@PathParam("runId") String runId) {
        Delivery existing = find(runId);
        Instant now = Instant.now();
        Delivery restarted = deliveries.restart(runId, timing.schedule().firstAttemptAt(now));
        if (restarted == null) {
            restarted = deliveries.attemptNow(runId, now);
        }
        if (restarted == null) {
            throw new CodedError(409, "delivery_pending", "An attempt of run " + runId
                    + "'s delivery is in flight (claimed until " + existing.leaseUntil + ")");
        }
        scheduler.submit(restarted.runId, restarted.lane);
        return Response.accepted(Envelope.of(new OneDelivery(DeliveryView.of(restarted, false)))).build();
    }

    private Delivery find(String runId) {
        if (runId == null || !runId.matches(RUN_ID)) {
            throw new CodedError(400, "invalid_run_id", "Invalid run id");
        }
        Delivery delivery = deliveries.findById(runId);
        if (delivery == null) {
            throw new CodedError(404, "delivery_not_found", "No callback delivery for run " + runId);
        }
        return delivery;
    }
}

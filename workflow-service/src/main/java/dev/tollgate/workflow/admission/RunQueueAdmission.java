package dev.tollgate.workflow.admission;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.roles.ServiceRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * In the api role: refuses new triggers while too many run requests wait for a worker ({@link TriggerAdmission}).
 * The queue is measured where it is, as the workers' consumer group lag on {@code workflow.run.requested} (Kafka's
 * end offsets minus the group's committed offsets, the figure a lag-based autoscaler reads), a few times a second
 * and only while triggers arrive, so an idle api asks Kafka nothing. A trigger reads the last measurement and costs
 * no request of its own. The measurement trails the queue by up to an interval plus the workers' 200 ms commit
 * interval; a burst can overshoot the bound by what arrives meanwhile, which is the price of not asking per trigger.
 */
@ApplicationScoped
public class RunQueueAdmission {

    private static final Logger LOG = Logger.getLogger(RunQueueAdmission.class);

    /** Measure while a trigger came within this long; an idle api leaves Kafka alone. */
    private static final long ACTIVE_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long TIMEOUT_MS = 2000;

    private final ServiceRole role;
    private final WorkflowConfig config;
    private final MeterRegistry metrics;
    private final String bootstrap;
    private final RunQueueLag lag;
    private final TriggerAdmission admission;
    private final Counter refused;
    private volatile Admin admin;
    private volatile TriggerAdmission.Measurement last;
    private volatile long lastTrigger = System.nanoTime() - ACTIVE_NANOS;

    public RunQueueAdmission(ServiceRole role, WorkflowConfig config, MeterRegistry metrics,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, RunQueueLag lag) {
        this.role = role;
        this.config = config;
        this.metrics = metrics;
        this.bootstrap = bootstrap;
        this.lag = lag;
        WorkflowConfig.Admission settings = config.admission();
        this.admission = new TriggerAdmission(settings.maxWaitingRequests(), settings.staleAfter(),
                settings.retryAfter());
        this.refused = metrics.counter("tollgate.workflow.triggers.refused", "reason", "run_queue_full");
    }

    void start(@Observes StartupEvent event) {
        if (role.isWorker() || config.admission().maxWaitingRequests() <= 0) {
            return;
        }
        metrics.gauge("tollgate.workflow.run.requests.waiting", this,
                a -> a.last == null ? Double.NaN : a.last.waitingRequests());
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "workflow-admission",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS));
    }

    void stop(@Observes ShutdownEvent event) {
        Admin a = admin;
        admin = null;
        if (a != null) {
            a.close();
        }
    }

    /** Throws {@link OverloadedError} when the run queue is full; otherwise returns at once. */
    public void admitOrRefuse() {
        lastTrigger = System.nanoTime();
        TriggerAdmission.Decision d = admission.decide(last, Instant.now());
        if (!d.admitted()) {
            refused.increment();
            throw new OverloadedError(d.retryAfterSeconds());
        }
    }

    /** The last measurement (null before the first, or after Kafka could not be asked). */
    public TriggerAdmission.Measurement lastMeasurement() {
        return last;
    }

    @Scheduled(every = "${tollgate.workflow.admission.measure-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void measure() {
        Admin a = admin;
        if (a == null || System.nanoTime() - lastTrigger > ACTIVE_NANOS) {
            return;
        }
        try {
            last = new TriggerAdmission.Measurement(lag.waitingRequests(a), Instant.now());
        } catch (Exception e) {
            // Fail open: a stale measurement admits (TriggerAdmission), and the outbox holds what Kafka cannot take.
            LOG.debugf("could not measure the run queue: %s", e.toString());
        }
    }

}

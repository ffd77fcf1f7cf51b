package dev.tollgate.workflow.watch;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tollgate.workflow.config.WorkflowConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Who is waiting for which run to change in this process: long-polls and event streams register here, and
 * {@link RunChangeFeed} calls {@link #changed} for every lifecycle event it reads. At most
 * {@code watches.max-watching} at once, so a crowd of waiting clients cannot grow memory without bound. A listener is
 * only told "this run may have changed": it reads the run itself (the event may be older than what it already saw).
 */
@ApplicationScoped
public class RunWatchers {

    private static final Logger LOG = Logger.getLogger(RunWatchers.class);

    private final ConcurrentHashMap<String, Set<Watch>> byRun = new ConcurrentHashMap<>();
    private final AtomicInteger watching = new AtomicInteger();
    private final int capacity;

    /** One registration; {@link #close} it when the request or stream ends (closing twice is harmless). */
    public final class Watch implements AutoCloseable {
        private final String runId;
        private final Runnable onChange;
        private volatile boolean closed;

        private Watch(String runId, Runnable onChange) {
            this.runId = runId;
            this.onChange = onChange;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            byRun.computeIfPresent(runId, (id, watches) -> {
                watches.remove(this);
                return watches.isEmpty() ? null : watches;
            });
            watching.decrementAndGet();
        }
    }

    @Inject
    public RunWatchers(WorkflowConfig config, MeterRegistry metrics) {
        this(config.watches().maxWatching());
        Gauge.builder("tollgate.workflow.run.watchers", watching, AtomicInteger::get)
                .description("Long-polls and event streams waiting for a run to change in this process")
                .register(metrics);
    }

    RunWatchers(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Calls {@code onChange} (on the feed's thread: it must hand any real work to another) each time {@code runId} may
     * have changed, until the watch is closed; empty when this process already watches its maximum.
     */
    public Optional<Watch> watch(String runId, Runnable onChange) {
        if (watching.incrementAndGet() > capacity) {
            watching.decrementAndGet();
            return Optional.empty();
        }
        Watch watch = new Watch(runId, onChange);
        byRun.compute(runId, (id, watches) -> {
            Set<Watch> set = watches == null ? ConcurrentHashMap.newKeySet() : watches;
            set.add(watch);
            return set;
        });
        return Optional.of(watch);
    }

    /** Tells everyone watching {@code runId} that it may have changed. */
    public void changed(String runId) {
        Set<Watch> watches = byRun.get(runId);
        if (watches == null) {
            return;
        }
        for (Watch watch : watches) {
            try {
                watch.onChange.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "a watcher of run %s failed", runId);
            }
        }
    }

    public int watching() {
        return watching.get();
    }
}

package dev.tollgate.workflow.runs;

import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads one run again each time it may have changed ({@link #signal}, from the change feed's thread), on
 * {@code executor}, never two reads at once: signals that arrive during a read are folded into one more read after it.
 * Each read is handed to {@code onRead} (empty: the run is gone for this caller); a read that throws goes to
 * {@code onError}. Signals before {@link #start} are kept for it: a reader is watching before its first read, so
 * that a change between that read and the watch is not lost, yet is not read before the first read is known. Used by a
 * long-poll until it answers and by an event stream until it ends ({@link #stop}).
 */
final class RunChangeReader {

    private final Supplier<Optional<Run>> read;
    private final Consumer<Optional<Run>> onRead;
    private final Consumer<RuntimeException> onError;
    private final Executor executor;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean stopped;

    RunChangeReader(Supplier<Optional<Run>> read, Consumer<Optional<Run>> onRead, Consumer<RuntimeException> onError,
            Executor executor) {
        this.read = read;
        this.onRead = onRead;
        this.onError = onError;
        this.executor = executor;
    }

    /** The run may have changed: read it (now, or right after the read in progress). */
    void signal() {
        pending.set(true);
        schedule();
    }

    /** From now on signals are read; one that came earlier is read at once. */
    void start() {
        started = true;
        schedule();
    }

    void stop() {
        stopped = true;
    }

    private void schedule() {
        if (started && !stopped && pending.get() && reading.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (!stopped && pending.getAndSet(false)) {
                onRead.accept(read.get());
            }
        } catch (RuntimeException e) {
            stopped = true;
            onError.accept(e);
        } finally {
            reading.set(false);
        }
        if (pending.get()) {
            schedule(); // signalled between the last check and giving up the read
        }
    }
}

package dev.tollgate.workflow.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tollgate.workflow.support.Fixtures;
import org.junit.jupiter.api.Test;

class RunChangeReaderTest {

    private final List<Runnable> queued = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<Optional<Run>> seen = new ArrayList<>();
    private final List<RuntimeException> errors = new ArrayList<>();

    private RunChangeReader reader(boolean failing) {
        return new RunChangeReader(() -> {
            reads.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("store down");
            }
            return Optional.of(Fixtures.run("u", RunStatus.RUNNING));
        }, seen::add, errors::add, queued::add);
    }

    private void runQueued() {
        while (!queued.isEmpty()) {
            queued.remove(0).run();
        }
    }

    @Test
    void signalsBeforeStartAreKeptAndReadOnceAtStart() {
        RunChangeReader reader = reader(false);
        reader.signal();
        reader.signal();
        runQueued();
        assertEquals(0, reads.get(), "nothing is read before the first read is known");
        reader.start();
        runQueued();
        assertEquals(1, reads.get());
        assertEquals(1, seen.size());
    }

    @Test
    void signalsDuringOneReadAreFoldedIntoOneMoreRead() {
        RunChangeReader reader = reader(false);
        reader.start();
        reader.signal();
        reader.signal(); // the read is only scheduled: folded
        reader.signal();
        runQueued();
        assertEquals(1, reads.get());
        reader.signal();
        runQueued();
        assertEquals(2, reads.get());
    }

    @Test
    void aStoppedReaderReadsNothingAndAFailedReadStopsIt() {
        RunChangeReader stopped = reader(false);
        stopped.start();
        stopped.stop();
        stopped.signal();
        runQueued();
        assertEquals(0, reads.get());

        RunChangeReader failing = reader(true);
        failing.start();
        failing.signal();
        runQueued();
        failing.signal();
        runQueued();
        assertEquals(1, reads.get());
        assertEquals(1, errors.size());
        assertTrue(seen.isEmpty());
    }
}

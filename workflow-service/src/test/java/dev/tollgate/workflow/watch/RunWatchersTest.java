package dev.tollgate.workflow.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class RunWatchersTest {

    @Test
    void aChangeWakesTheWatchersOfThatRunOnlyUntilTheyClose() {
        RunWatchers watchers = new RunWatchers(10);
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        RunWatchers.Watch first = watchers.watch("run-a", a::incrementAndGet).orElseThrow();
        watchers.watch("run-b", b::incrementAndGet).orElseThrow();
        watchers.changed("run-a");
        watchers.changed("run-c");
        assertEquals(1, a.get());
        assertEquals(0, b.get());
        first.close();
        first.close(); // twice is harmless
        watchers.changed("run-a");
        assertEquals(1, a.get());
        assertEquals(1, watchers.watching());
    }

    @Test
    void pastItsCapacityNoMoreWatchesAreTakenUntilOneCloses() {
        RunWatchers watchers = new RunWatchers(2);
        RunWatchers.Watch one = watchers.watch("r", () -> { }).orElseThrow();
        watchers.watch("r", () -> { }).orElseThrow();
        assertTrue(watchers.watch("s", () -> { }).isEmpty());
        assertEquals(2, watchers.watching());
        one.close();
        assertTrue(watchers.watch("s", () -> { }).isPresent());
    }

    @Test
    void aFailingListenerDoesNotKeepTheOthersFromHearing() {
        RunWatchers watchers = new RunWatchers(10);
        AtomicInteger heard = new AtomicInteger();
        watchers.watch("r", () -> {
            throw new IllegalStateException("boom");
        });
        watchers.watch("r", heard::incrementAndGet);
        watchers.changed("r");
        assertEquals(1, heard.get());
    }
}

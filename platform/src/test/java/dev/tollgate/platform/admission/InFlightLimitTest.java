package dev.tollgate.platform.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class InFlightLimitTest {

    @Test
    void takesUpToItsLimitThenRefusesUntilAPlaceIsGivenBack() {
        InFlightLimit limit = new InFlightLimit(2);
        assertTrue(limit.tryAcquire());
        assertTrue(limit.tryAcquire());
        assertFalse(limit.tryAcquire());
        assertEquals(2, limit.inFlight(), "a refusal takes nothing");
        limit.release();
        assertTrue(limit.tryAcquire());
        assertFalse(limit.tryAcquire());
    }

    @Test
    void manyThreadsAtOnceNeverGetMorePlacesThanTheLimit() throws Exception {
        InFlightLimit limit = new InFlightLimit(7);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Boolean>> racers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            racers.add(() -> {
                start.await();
                return limit.tryAcquire();
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<Boolean>> results = racers.stream().map(pool::submit).toList();
            start.countDown();
            long taken = 0;
            for (Future<Boolean> result : results) {
                taken += result.get() ? 1 : 0;
            }
            assertEquals(7, taken);
            assertEquals(7, limit.inFlight());
        }
    }

    @Test
    void aLimitBelowOneIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new InFlightLimit(0));
    }
}

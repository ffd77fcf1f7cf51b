package dev.tollgate.workflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A worker commits a partition only up to the first request still executing: a dead worker's runs are replayed. */
class RequestOffsetsTest {

    private static final TopicPartition P0 = new TopicPartition("workflow.run.requested", 0);
    private static final TopicPartition P1 = new TopicPartition("workflow.run.requested", 1);

    @Test
    void theCommitStopsAtTheFirstRequestStillExecutingWhateverFinishedAfterIt() {
        RequestOffsets offsets = new RequestOffsets();
        offsets.taken(P0, 10);
        offsets.taken(P0, 11);
        offsets.taken(P0, 12);
        offsets.finished(P0, 11);
        offsets.finished(P0, 12);
        // 10 still executes: were the worker to die now, 10 must come again to whoever takes the partition.
        assertEquals(Map.of(P0, new OffsetAndMetadata(10)), offsets.committable(List.of(P0)));
        offsets.finished(P0, 10);
        assertEquals(Map.of(P0, new OffsetAndMetadata(13)), offsets.committable(List.of(P0)));
    }

    @Test
    void onlyWhatMovedSinceTheLastCommitIsCommittedAgain() {
        RequestOffsets offsets = new RequestOffsets();
        offsets.taken(P0, 5);
        offsets.finished(P0, 5);
        offsets.skipped(P1, 7); // not a request: nothing executes, the partition moves past it
        Map<TopicPartition, OffsetAndMetadata> due = offsets.committable(List.of(P0, P1));
        assertEquals(Map.of(P0, new OffsetAndMetadata(6), P1, new OffsetAndMetadata(8)), due);
        offsets.committed(due);
        assertEquals(Map.of(), offsets.committable(List.of(P0, P1)), "nothing new: no commit (an idle worker)");
    }

    @Test
    void aRevokedPartitionIsForgottenAndItsLateFinishesChangeNothing() {
        RequestOffsets offsets = new RequestOffsets();
        offsets.taken(P0, 3);
        offsets.forget(List.of(P0));
        offsets.finished(P0, 3);
        assertEquals(Map.of(), offsets.committable(List.of(P0)));
    }

    /**
     * The consumer's thread asks what to commit while run threads finish requests: the partition's last executing
     * request may finish between "is anything executing" and "which is first". That once threw
     * NoSuchElementException on the consumer's thread, and a worker whose request listener throws exits (a lost worker
     * in an overload drill, its CPU starved at nice 10, which widens that window). Bounded: a fixed number of rounds.
     */
    @Test
    void askingWhatToCommitWhileTheLastRequestFinishesNeverThrows() throws Exception {
        RequestOffsets offsets = new RequestOffsets();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread asking = Thread.ofPlatform().start(() -> {
            try {
                while (!done.get()) {
                    offsets.committable(List.of(P0));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        // The partition's executing set goes from empty to one request and back, over and over.
        for (long offset = 0; offset < 3_000_000 && failure.get() == null; offset++) {
            offsets.taken(P0, offset);
            offsets.finished(P0, offset);
        }
        done.set(true);
        asking.join(TimeUnit.SECONDS.toMillis(10));
        assertNull(failure.get(), () -> "committable threw: " + failure.get());
    }
}

package dev.tollgate.callback.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** Who records a first attempt: exactly one of the attempt and the intake, whichever way their race goes. */
class FirstPostTest {

    final FirstPost.Attempted attempted = new FirstPost.Attempted(new AttemptRecord(), new PendingOutcome("o", "{}"));

    @Test
    void aPostThatFinishesFirstIsStoredByTheIntake() {
        FirstPost post = new FirstPost(new Delivery());
        assertTrue(post.posted(attempted), "the intake will store it");
        assertTrue(post.finished().isDone());
        assertSame(attempted, post.takeOrHandOver());
        assertFalse(post.handedOver());
        assertSame(attempted, post.takeOrHandOver(), "the same answer when a failed insert is retried");
    }

    @Test
    void aPostStillUnderWayIsHandedOverAndRecordsItselfOnceStored() {
        FirstPost post = new FirstPost(new Delivery());
        assertNull(post.takeOrHandOver());
        assertTrue(post.handedOver(), "stored claimed, for the attempt");
        assertFalse(post.posted(attempted), "the attempt records itself");
        post.stored(true);
        assertTrue(post.awaitStored());
        assertNull(post.takeOrHandOver(), "still handed over when a failed insert is retried");
    }

    @Test
    void aHandedOverPostWhoseRunSomeoneElseStoredDoesNotRecord() {
        FirstPost post = new FirstPost(new Delivery());
        post.takeOrHandOver();
        post.posted(attempted);
        post.stored(false);
        assertFalse(post.awaitStored());
    }

    @Test
    void anAttemptThatCouldNotPostLeavesTheDeliveryToThePoll() {
        FirstPost post = new FirstPost(new Delivery());
        assertTrue(post.notMade());
        assertTrue(post.finished().isDone());
        assertNull(post.takeOrHandOver(), "stored without an attempt");
        assertFalse(post.handedOver(), "and without a claim");
    }

    @Test
    void racingExactlyOneSideRecordsTheAttempt() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            FirstPost post = new FirstPost(new Delivery());
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean intakeStores = new AtomicBoolean();
            Thread attempt = Thread.ofPlatform().start(() -> {
                await(go);
                intakeStores.set(post.posted(attempted));
            });
            FirstPost.Attempted[] taken = new FirstPost.Attempted[1];
            Thread intake = Thread.ofPlatform().start(() -> {
                await(go);
                taken[0] = post.takeOrHandOver();
            });
            go.countDown();
            attempt.join();
            intake.join();
            boolean intakeRecords = taken[0] != null;
            assertEquals(intakeStores.get(), intakeRecords, "the attempt and the intake agree, run " + i);
            assertEquals(!intakeRecords, post.handedOver(), "else the attempt records it itself, run " + i);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

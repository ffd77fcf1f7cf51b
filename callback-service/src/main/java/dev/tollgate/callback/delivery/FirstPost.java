package dev.tollgate.callback.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A new delivery's first attempt, made before the delivery is stored, so that it is stored once, with its attempt
 * (post first, write once). Two threads meet here: the lane's attempt, which posts, and the intake, which waits a
 * bounded time for the batch's posts and then stores the batch. Exactly one of them records the attempt, decided by
 * one compare-and-set: if the post finished first, the intake stores the delivery with it; if the intake stopped
 * waiting first (a slow receiver), it stores the delivery claimed by the attempt, and the attempt records itself once
 * that insert is done, as any attempt under a claim does.
 */
public final class FirstPost {

    /** What one attempt came to, ready to be stored. */
    public record Attempted(AttemptRecord attempt, PendingOutcome outcome) {
    }

    private static final int POSTING = 0;
    /** The post finished before the intake stopped waiting: the intake stores it. */
    private static final int POSTED = 1;
    /** The intake stopped waiting first: it stores the delivery claimed, and the attempt records itself. */
    private static final int HANDED_OVER = 2;
    /** The attempt could not be made (its signing secret could not be read): stored pending, for the due poll. */
    private static final int NOT_MADE = 3;

    private final Delivery delivery;
    private final AtomicInteger state = new AtomicInteger(POSTING);
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final CompletableFuture<Boolean> stored = new CompletableFuture<>();
    private volatile Attempted attempted;

    /** {@code delivery}: prepared, not stored, holding this process's intake claim. */
    public FirstPost(Delivery delivery) {
        this.delivery = delivery;
    }

    public Delivery delivery() {
        return delivery;
    }

    /** Completes when the attempt has posted, or given up before posting. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /** The attempt's side: the post is done. True if the intake will store it; false if it was handed over. */
    boolean posted(Attempted result) {
        attempted = result;
        boolean first = state.compareAndSet(POSTING, POSTED);
        finished.complete(null);
        return first;
    }

    /** The attempt's side: it could not post. False if it was handed over already (its claim simply runs out). */
    boolean notMade() {
        boolean first = state.compareAndSet(POSTING, NOT_MADE);
        finished.complete(null);
        return first;
    }

    /**
     * The intake's side, once it stops waiting: the finished attempt to store with the delivery, or null if the
     * delivery is to be stored without one (handed over to the attempt still posting, or never made).
     */
    public Attempted takeOrHandOver() {
        if (state.compareAndSet(POSTING, HANDED_OVER)) {
            return null;
        }
        return state.get() == POSTED ? attempted : null;
    }

    /** Whether the delivery must be stored claimed, for an attempt still posting (after {@link #takeOrHandOver}). */
    public boolean handedOver() {
        return state.get() == HANDED_OVER;
    }

    /** The intake's side: the handed-over delivery was stored by this process (true), or not (false). */
    public void stored(boolean byThisProcess) {
        stored.complete(byThisProcess);
    }

    /** The attempt's side, when handed over: waits for the intake's insert; true if the attempt may record itself. */
    boolean awaitStored() {
        return stored.join();
    }
}

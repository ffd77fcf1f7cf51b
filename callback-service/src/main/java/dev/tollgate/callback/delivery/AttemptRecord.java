package dev.tollgate.callback.delivery;

import java.time.Instant;

/** One POST (or a refusal to make it), kept in its delivery's document. */
public class AttemptRecord {
    /** 1 for the first attempt; numbers keep counting across redeliveries. */
    public int number;
    public Instant attemptedAt;
    public long durationMs;
    /** The receiver's status code; null when no response came (refused, timed out, blocked). */
    public Integer httpStatus;
    /** Null on success; otherwise {@code code: detail}, e.g. {@code timeout: no response within 15 s}. */
    public String error;
    /** The delivery's status after this attempt. */
    public DeliveryStatus result;
    public Instant nextAttemptAt;
}

package dev.tollgate.callback.delivery;

/**
 * A {@code callback.delivery.outcome} event written in the same document update as the attempt it reports, waiting
 * for the relay (so an attempt is never recorded without its outcome eventually being published). The MongoDB codec
 * stores {@code id} as {@code _id}; the relay removes published outcomes by their whole document.
 */
public class PendingOutcome {
    public String id;
    public String payload;

    public PendingOutcome() {
    }

    public PendingOutcome(String id, String payload) {
        this.id = id;
        this.payload = payload;
    }
}

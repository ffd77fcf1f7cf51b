package dev.tollgate.workflow.outbox;

/**
 * An event written in the same document update as the state change it announces, waiting for the relay to publish
 * it to {@code topic} (keyed by the run id, so one run's events stay ordered). The MongoDB codec stores {@code id}
 * as {@code _id} inside the run's {@code pendingEvents}; the relay removes published events by their whole document.
 */
public class PendingEvent {
    public String id;
    public String topic;
    public String key;
    public String payload;

    public PendingEvent() {
    }

    public PendingEvent(String id, String topic, String key, String payload) {
        this.id = id;
        this.topic = topic;
        this.key = key;
        this.payload = payload;
    }
}

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
    /** The trace the event belongs to, sent as the record's {@code traceparent} header; null for none. */
    public String traceparent;
    /** A run request's budget, sent as the record's {@link RunTopics#BUDGET_HEADER}: workers share slots by it. */
    public String budget;
    /** A run request's budget limit, sent as {@link RunTopics#BUDGET_LIMIT_HEADER}. */
    public Integer budgetLimit;

    public PendingEvent() {
    }

    public PendingEvent(String id, String topic, String key, String payload) {
        this(id, topic, key, payload, null);
    }

    public PendingEvent(String id, String topic, String key, String payload, String traceparent) {
        this.id = id;
        this.topic = topic;
        this.key = key;
        this.payload = payload;
        this.traceparent = traceparent;
    }

    /** This event for a run of {@code budget}, whose limit is {@code limit} (set on run requests). */
    public PendingEvent forBudget(String budget, Integer limit) {
        this.budget = budget;
        this.budgetLimit = limit;
        return this;
    }
}

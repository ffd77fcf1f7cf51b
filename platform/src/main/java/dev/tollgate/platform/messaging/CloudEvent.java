package dev.tollgate.platform.messaging;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The CloudEvents 1.0 envelope (structured JSON) every event the platform publishes is wrapped in: credits'
 * transactions, workflow's run requests and lifecycle, callback's delivery outcomes. {@code id} is stable for the
 * fact, so a consumer deduplicates by it; {@code subject} is what the event is about (a user, a run).
 */
@JsonPropertyOrder({ "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data" })
public record CloudEvent<T>(String specversion, String id, String source, String type, String subject, String time,
        String datacontenttype, T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    /** An event with JSON {@code data}. */
    public static <T> CloudEvent<T> of(String id, String source, String type, String subject, String time, T data) {
        return new CloudEvent<>(SPEC_VERSION, id, source, type, subject, time, JSON, data);
    }

    /** The same event (id, time and all) with other {@code data}. */
    public <U> CloudEvent<U> withData(U other) {
        return new CloudEvent<>(specversion, id, source, type, subject, time, datacontenttype, other);
    }
}

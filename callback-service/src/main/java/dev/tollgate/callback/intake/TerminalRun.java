package dev.tollgate.callback.intake;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.tollgate.platform.web.Envelope;

/**
 * A run that ended and asked for a callback, read from a {@code workflow.run.lifecycle} event. {@code body} is the
 * POST body: the status endpoint's answer around the event's {@code data.run}, which workflow-service writes as
 * exactly the run object a poll returns at that moment.
 */
public record TerminalRun(String eventId, String eventType, String runId, String userId, String callbackUrl,
        String body, String traceparent, Instant runCreatedAt) {

    /** A run outside any trace, its creation not known. */
    public TerminalRun(String eventId, String eventType, String runId, String userId, String callbackUrl, String body) {
        this(eventId, eventType, runId, userId, callbackUrl, body, null, null);
    }

    public static final Set<String> TERMINAL_TYPES = Set.of("run.completed", "run.failed", "run.cancelled",
            "run.setup_required");

    /**
     * The event's top-level {@code type}, read without building the event (its {@code data} is skipped, not parsed):
     * most lifecycle events are {@code run.started}, which need no callback and are dropped on this alone. Empty if
     * there is none or the payload is not a JSON object.
     */
    public static String typeOf(String payload, ObjectMapper json) throws IOException {
        try (JsonParser parser = json.getFactory().createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "";
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(field)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : "";
                }
                parser.skipChildren();
            }
            return "";
        }
    }

    /** The callback's body: the status endpoint's answer, {@code {"success": true, "data": {"run": ...}}}. */
    public record RunAnswer(JsonNode run) {
    }

    /**
     * Empty for events that need no callback: not terminal, or no {@code callback_url}, run id or owner. Throws on a
     * payload that is not a lifecycle event.
     */
    public static Optional<TerminalRun> from(String payload, ObjectMapper json) throws IOException {
        return from(payload, json, null);
    }

    /** As {@link #from(String, ObjectMapper)}, the run's trace being {@code traceparent} (the record's header). */
    public static Optional<TerminalRun> from(String payload, ObjectMapper json, String traceparent)
            throws IOException {
        LifecycleEvent event = json.readValue(payload, LifecycleEvent.class);
        JsonNode run = event.data() == null || event.data().run() == null ? MissingNode.getInstance()
                : event.data().run();
        String url = run.path("callback_url").asText("");
        String runId = run.path("run_id").asText("");
        String userId = event.data() == null ? "" : Objects.requireNonNullElse(event.data().ownerUserId(), "");
        if (event.type() == null || !TERMINAL_TYPES.contains(event.type()) || url.isEmpty() || runId.isEmpty() || userId.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TerminalRun(Objects.requireNonNullElse(event.id(), ""), event.type(), runId, userId,
                url, json.writeValueAsString(Envelope.of(new RunAnswer(run))), traceparent,
                createdAt(run.path("created_at").asText(""))));
    }

    /** The run's {@code created_at} (its trigger), for the trigger-to-callback latency; null if unreadable. */
    private static Instant createdAt(String value) {
        try {
            return value.isEmpty() ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

package dev.tollgate.platform.tracing;

import java.util.Optional;
import java.util.regex.Pattern;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * A trace's context as a W3C {@code traceparent} value, where no thread can carry it: in a stored run or delivery
 * (written by one request, acted on later by a worker or a retry) and in Kafka record headers. HTTP requests carry it
 * without help (the OpenTelemetry extension reads and writes the header); these are the hops it cannot see.
 */
public final class TraceParents {

    /** The W3C header, and the Kafka record header of the same name. */
    public static final String HEADER = "traceparent";

    private static final Pattern VALID = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private static final TextMapGetter<String> FROM_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private TraceParents() {
    }

    /** The current span's context as a {@code traceparent}; empty outside any span. */
    public static Optional<String> current() {
        return of(Span.current().getSpanContext());
    }

    /** {@code context} as a {@code traceparent}; empty if it is not a valid context. */
    public static Optional<String> of(SpanContext context) {
        if (!context.isValid()) {
            return Optional.empty();
        }
        return Optional.of("00-" + context.getTraceId() + "-" + context.getSpanId() + "-"
                + context.getTraceFlags().asHex());
    }

    /** The current span's {@code traceparent}, else {@code stored} (a sweep or a retry has no span of the run's). */
    public static String currentOr(String stored) {
        return current().orElse(stored);
    }

    /** Whether {@code value} is a well-formed version-00 {@code traceparent} (what is read from outside is checked). */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    /** The trace id of a {@code traceparent}; empty if it is not one. */
    public static Optional<String> traceId(String value) {
        return isValid(value) ? Optional.of(value.substring(3, 35)) : Optional.empty();
    }

    /** The context {@code traceparent} names, to start spans under; the root context when it is absent or malformed. */
    public static Context parent(String traceparent) {
        if (!isValid(traceparent)) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, FROM_VALUE);
    }

    /** Starts a span of {@code kind} as a child of {@code traceparent} (a new trace if there is none). */
    public static Span start(Tracer tracer, String name, SpanKind kind, String traceparent) {
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent(traceparent)).startSpan();
    }
}

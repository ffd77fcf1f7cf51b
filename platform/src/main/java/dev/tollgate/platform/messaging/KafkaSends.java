package dev.tollgate.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.tollgate.platform.tracing.TraceParents;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Sends one keyed record through a channel and tells when Kafka acknowledged it: what every outbox relay needs
 * before it may remove an event from its pending list.
 */
public final class KafkaSends {

    private KafkaSends() {
    }

    /**
     * A header on a record that may have been published before (an outbox sweep publishes what a crash or a failed
     * round left, and some of it may have reached Kafka already). A consumer that keeps a side effect from happening
     * twice must check its own records for a record carrying it; one without it, read for the first time by its group,
     * is the first copy (see callback-service's {@code FreshRecords}).
     */
    public static final String REPUBLISHED_HEADER = "tollgate-republished";

    private static final byte[] YES = {'1'};

    /** Marks a record's headers as {@link #REPUBLISHED_HEADER}'s; returns them. */
    public static Headers markRepublished(Headers headers) {
        return headers.add(REPUBLISHED_HEADER, YES);
    }

    /** The {@code traceparent} a record carries, if a valid one. */
    public static Optional<String> traceparent(Headers headers) {
        return header(headers, TraceParents.HEADER).filter(TraceParents::isValid);
    }

    /** A header's value as text, if the record has it. */
    public static Optional<String> header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** Whether a record carries {@link #REPUBLISHED_HEADER}. */
    public static boolean isRepublished(Headers headers) {
        return headers.lastHeader(REPUBLISHED_HEADER) != null;
    }

    public static CompletableFuture<Void> send(Emitter<String> emitter, String key, String payload) {
        return send(emitter, key, payload, false);
    }

    /** {@code republished}: the record may have been published before; it then carries {@link #REPUBLISHED_HEADER}. */
    public static CompletableFuture<Void> send(Emitter<String> emitter, String key, String payload,
            boolean republished) {
        return send(emitter, key, payload, republished, null);
    }

    /**
     * As {@link #send(Emitter, String, String, boolean)}, the record also carrying {@code traceparent} (when it is a
     * valid one) in a header of that name: the trace of whatever the event is about, written where the event was, not
     * the context of the thread that happens to publish it (the relay's). The channels' own tracing is turned off
     * ({@code tracing-enabled=false}) so that it does not replace the header.
     */
    public static CompletableFuture<Void> send(Emitter<String> emitter, String key, String payload,
            boolean republished, String traceparent) {
        return send(emitter, key, payload, republished, traceparent, Map.of());
    }

    /** As above, with {@code headers} (name to ASCII value) on the record as well; null values are left out. */
    public static CompletableFuture<Void> send(Emitter<String> emitter, String key, String payload,
            boolean republished, String traceparent, Map<String, String> headers) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata =
                OutgoingKafkaRecordMetadata.<String>builder().withKey(key);
        RecordHeaders recordHeaders = new RecordHeaders();
        if (republished) {
            markRepublished(recordHeaders);
        }
        if (TraceParents.isValid(traceparent)) {
            recordHeaders.add(TraceParents.HEADER, traceparent.getBytes(StandardCharsets.US_ASCII));
        }
        headers.forEach((name, value) -> {
            if (value != null) {
                recordHeaders.add(name, value.getBytes(StandardCharsets.UTF_8));
            }
        });
        if (recordHeaders.toArray().length > 0) {
            metadata.withHeaders(recordHeaders);
        }
        emitter.send(Message.of(payload,
                Metadata.of(metadata.build()),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                reason -> {
                    acked.completeExceptionally(reason);
                    return CompletableFuture.completedFuture(null);
                }));
        return acked;
    }

    /** Waits until Kafka acknowledged every send; throws if any failed or 30 seconds went by. */
    public static void awaitAll(List<CompletableFuture<Void>> acks) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publishing to Kafka failed", e);
        }
    }
}

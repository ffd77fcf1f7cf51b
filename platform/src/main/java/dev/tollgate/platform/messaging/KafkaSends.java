package dev.tollgate.platform.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
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
        CompletableFuture<Void> acked = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata =
                OutgoingKafkaRecordMetadata.<String>builder().withKey(key);
        if (republished) {
            metadata.withHeaders(markRepublished(new RecordHeaders()));
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

package dev.tollgate.http;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
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

    public static CompletableFuture<Void> send(Emitter<String> emitter, String key, String payload) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(Message.of(payload,
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()),
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

package dev.tollgate.catalog.http;

/** The api family's answer to a request that succeeded: {@code {"success": true, "data": ...}}. */
public record Envelope<T>(boolean success, T data) {

    public static <T> Envelope<T> of(T data) {
        return new Envelope<>(true, data);
    }
}

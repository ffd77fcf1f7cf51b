package dev.tollgate.platform.web;

/**
 * A request that succeeded, in both families: {@code {"success": true, "data": ...}}. {@code data} is written even when
 * null, as the reference API does.
 */
public record Envelope<T>(boolean success, T data) {

    public static <T> Envelope<T> of(T data) {
        return new Envelope<>(true, data);
    }
}

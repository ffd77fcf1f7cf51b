package dev.tollgate.credits.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The envelope of the credit endpoints the contract gives a message: {@code {"success": true, "message", "data"}}
 * (balance, history, grants). The internal hold API answers the plain {@code Envelope}.
 */
@JsonPropertyOrder({ "success", "message", "data" })
public record MessageEnvelope<T>(boolean success, String message, T data) {

    public static <T> MessageEnvelope<T> of(String message, T data) {
        return new MessageEnvelope<>(true, message, data);
    }
}
